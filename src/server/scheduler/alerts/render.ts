/**
 * An alert event as each channel shows it: a Slack message, an e-mail (text and HTML). The webhook
 * channel sends the event itself (its JSON is the stable schema receivers parse). Pure functions: every
 * attempt of a delivery renders the same message.
 */
import he from "he";
import { alertKindLabel } from "@/lib/alert-kinds";
import { formatDateTime } from "@/lib/format";
import type { AlertEvent } from "./outbox";

/** The link made absolute with the app's address (APP_URL). */
export function absoluteLink(link: string, appUrl: string): string {
  return new URL(link, appUrl.endsWith("/") ? appUrl : `${appUrl}/`).toString();
}

/** A moment as the e-mail says it (UTC: the reader's zone is not known). */
function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatDateTime(date, "UTC");
}

const HEADLINES: Record<AlertEvent["type"], string> = {
  "alert.raised": "",
  "alert.reminder": "Reminder: ",
  "alert.recovered": "Cleared: ",
  "alert.test": "Test: ",
  "alert.digest": "",
};

function headline(event: AlertEvent): string {
  return `${HEADLINES[event.type]}${event.data.title}`;
}

/** A Slack incoming-webhook message: a text fallback and blocks with a button to the page that fixes it. */
export function slackMessage(event: AlertEvent, appUrl: string) {
  const url = absoluteLink(event.data.link, appUrl);
  const lines =
    event.type === "alert.digest"
      ? (event.data.alerts ?? []).map((a) => `• *${a.title}*: ${a.message}`)
      : [event.data.message];
  // Slack's mrkdwn treats <, > and & as markup.
  const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  return {
    text: `${headline(event)}: ${event.data.message}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: headline(event).slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: esc(lines.join("\n")).slice(0, 2900) } },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: `${alertKindLabel(event.data.kind)} · ${event.data.severity.toLowerCase()}` },
        ],
      },
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: "Open the dashboard" }, url }],
      },
    ],
  };
}

/** The e-mail of an event: a subject, a text body and an HTML body that say what, to what, and where to fix it. */
export function mailMessage(event: AlertEvent, appUrl: string) {
  const url = absoluteLink(event.data.link, appUrl);
  const items =
    event.type === "alert.digest"
      ? (event.data.alerts ?? []).map((a) => ({ ...a, url: absoluteLink(a.link, appUrl) }))
      : [
          {
            title: event.data.title,
            message: event.data.message,
            url,
            raisedAt: event.data.raisedAt,
            severity: event.data.severity,
          },
        ];
  const subject = `[Scheduler Dashboard] ${headline(event)}`.slice(0, 200);
  const text = [
    headline(event),
    "",
    ...items.flatMap((item) => [
      ...(event.type === "alert.digest" ? [`- ${item.title}`] : []),
      item.message,
      `When: ${when(item.raisedAt)}`,
      `Open: ${item.url}`,
      "",
    ]),
    "You receive this because an alert rule of your Scheduler Dashboard account sends to this address.",
    `Change your alert rules: ${absoluteLink("/dashboard/alerts", appUrl)}`,
  ].join("\n");
  const e = (s: string) => he.escape(s);
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">`,
    `<h2 style="margin:0 0 12px">${e(headline(event))}</h2>`,
    ...items.map(
      (item) =>
        `<div style="margin:0 0 16px">${event.type === "alert.digest" ? `<strong>${e(item.title)}</strong><br>` : ""}` +
        `<p style="margin:4px 0">${e(item.message)}</p>` +
        `<p style="margin:4px 0;color:#6b7280;font-size:13px">${e(item.severity.toLowerCase())} · ${e(when(item.raisedAt))}</p>` +
        `<p style="margin:4px 0"><a href="${e(item.url)}">Open the page that fixes it</a></p></div>`,
    ),
    `<p style="color:#6b7280;font-size:12px">You receive this because an alert rule of your Scheduler Dashboard account sends to this address. `,
    `<a href="${e(absoluteLink("/dashboard/alerts", appUrl))}">Change your alert rules</a>.</p>`,
    `</body></html>`,
  ].join("");
  return { subject, text, html };
}
