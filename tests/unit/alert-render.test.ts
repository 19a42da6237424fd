import { describe, expect, it } from "vitest";
import { absoluteLink, mailMessage, slackMessage } from "@/server/scheduler/alerts/render";
import type { AlertEvent } from "@/server/scheduler/alerts/outbox";

const event = (over: Partial<AlertEvent["data"]> = {}, type: AlertEvent["type"] = "alert.raised"): AlertEvent => ({
  type,
  version: 1,
  timestamp: "2026-12-01T08:00:00.000Z",
  data: {
    alertId: "a1",
    kind: "TASK_NEEDS_INTERVENTION",
    severity: "ERROR",
    title: "Website analysis (https://x.example/) needs you",
    message: 'It answered <script>alert("x")</script> & more',
    link: "/dashboard/jobs/t1",
    taskId: "t1",
    connectionId: null,
    raisedAt: "2026-12-01T08:00:00.000Z",
    ...over,
  },
});

describe("alert messages", () => {
  it("makes links absolute under APP_URL, with or without a trailing slash or a base path", () => {
    expect(absoluteLink("/dashboard/alerts", "https://s.example")).toBe("https://s.example/dashboard/alerts");
    expect(absoluteLink("/dashboard/alerts", "https://s.example/")).toBe("https://s.example/dashboard/alerts");
  });

  it("escapes what the alert says in the HTML e-mail, keeps it as is in the text one, and links the fixing page", () => {
    const mail = mailMessage(event(), "https://s.example");
    expect(mail.subject).toBe("[Scheduler Dashboard] Website analysis (https://x.example/) needs you");
    expect(mail.text).toContain('It answered <script>alert("x")</script> & more');
    expect(mail.text).toContain("Open: https://s.example/dashboard/jobs/t1");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.html).toContain('href="https://s.example/dashboard/jobs/t1"');
    expect(mailMessage(event({}, "alert.reminder"), "https://s.example").subject).toContain("Reminder: ");
  });

  it("escapes Slack's markup characters and lists a digest's alerts", () => {
    const slack = slackMessage(event(), "https://s.example");
    expect(JSON.stringify(slack.blocks[1])).toContain("&lt;script&gt;");
    const digest = slackMessage(
      event(
        {
          title: "2 alerts in the last day",
          alerts: [
            { title: "A", message: "a", link: "/x", raisedAt: "t", severity: "ERROR" },
            { title: "B", message: "b", link: "/y", raisedAt: "t", severity: "WARNING" },
          ],
        },
        "alert.digest",
      ),
      "https://s.example",
    );
    expect((digest.blocks[1] as { text: { text: string } }).text.text).toBe("• *A*: a\n• *B*: b");
  });
});
