import { describe, expect, it } from "vitest";
import {
  describeSchedule,
  INTERVAL_PRESETS,
  intervalInWords,
  nextCronRun,
  nextRuns,
  parseCron,
  scheduleEditable,
  scheduleOf,
  scheduleProblem,
  shortestGapMinutes,
  usualGapMinutes,
} from "@/lib/schedule";
import { scheduleInput } from "@/lib/validation/tasks";
import { nextRegularRun } from "@/server/scheduler/task-state";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const cron = (expression: string, timeZone = "Europe/Berlin") => ({ kind: "cron" as const, expression, timeZone });

describe("a cron schedule's next runs", () => {
  it("reads the expression on the zone's wall clock", () => {
    // Berlin is UTC+1 in winter: 06:00 there is 05:00Z.
    expect(iso(nextRuns(cron("0 6 * * *"), new Date("2026-12-02T12:00:00Z"), 3))).toEqual([
      "2026-12-03T05:00:00.000Z",
      "2026-12-04T05:00:00.000Z",
      "2026-12-05T05:00:00.000Z",
    ]);
    expect(iso(nextRuns(cron("30 9 * * 1-5", "America/New_York"), new Date("2026-12-04T20:00:00Z"), 2))).toEqual([
      "2026-12-07T14:30:00.000Z", // Friday evening → Monday 09:30 EST
      "2026-12-08T14:30:00.000Z",
    ]);
  });

  it("keeps 06:00 at 06:00 across the spring change (UTC+1 → UTC+2 on 2026-03-29)", () => {
    expect(iso(nextRuns(cron("0 6 * * *"), new Date("2026-03-27T12:00:00Z"), 3))).toEqual([
      "2026-03-28T05:00:00.000Z",
      "2026-03-29T04:00:00.000Z",
      "2026-03-30T04:00:00.000Z",
    ]);
  });

  it("runs a time in the spring gap once, at the first valid time after it", () => {
    // 02:30 does not exist in Berlin on 2026-03-29 (02:00 → 03:00).
    const runs = nextRuns(cron("30 2 * * *"), new Date("2026-03-28T12:00:00Z"), 3);
    expect(iso(runs)).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
  });

  it("runs a time that happens twice in the autumn change once", () => {
    // 02:30 happens twice in Berlin on 2026-10-25 (03:00 → 02:00).
    const runs = nextRuns(cron("30 2 * * *"), new Date("2026-10-24T12:00:00Z"), 3);
    expect(iso(runs)).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z"]);
  });

  it("is what the engine schedules after a run, DST included (an interval stays absolute minutes)", () => {
    const columns = { frequencyMinutes: 1440, cronExpression: "0 6 * * *", cronTimeZone: "Europe/Berlin" };
    const finished = new Date("2026-03-28T05:00:03Z");
    const due = new Date("2026-03-28T05:00:00Z");
    expect(nextRegularRun({ ...columns, dueAt: due, attempt: 0 }, "SCHEDULED", finished)).toEqual(
      new Date("2026-03-29T04:00:00Z"),
    );
    // The interval keeps the rhythm: due + 24 hours, which is 07:00 Berlin after the change.
    expect(
      nextRegularRun(
        { ...columns, cronExpression: null, cronTimeZone: null, dueAt: due, attempt: 0 },
        "SCHEDULED",
        finished,
      ),
    ).toEqual(new Date("2026-03-29T05:00:00Z"));
    // An expression edited into nonsense in the database falls back to the interval.
    expect(
      nextRegularRun({ ...columns, cronExpression: "not cron", dueAt: due, attempt: 0 }, "SCHEDULED", finished),
    ).toEqual(new Date("2026-03-29T05:00:00Z"));
    expect(nextCronRun("0 6 * * *", "Europe/Berlin", new Date("2026-10-24T12:00:00Z"))).toEqual(
      new Date("2026-10-25T05:00:00Z"),
    );
  });

  it("has a shortest gap (the quota limits read it) and a usual one (stored as its frequency)", () => {
    const from = new Date("2026-12-02T00:00:00Z");
    expect(shortestGapMinutes({ kind: "interval", minutes: 90 }, from)).toBe(90);
    // A daily time in Berlin: one 23-hour day a year (the spring change); usually a day.
    expect(shortestGapMinutes(cron("0 6 * * *"), from)).toBe(1380);
    expect(usualGapMinutes(cron("0 6 * * *"), from)).toBe(1440);
    expect(shortestGapMinutes(cron("0 6 * * *", "UTC"), from)).toBe(1440);
    expect(usualGapMinutes(cron("0 6 * * 1-5"), from)).toBe(1440);
    expect(shortestGapMinutes(cron("0 6,18 * * 1-5"), from)).toBe(720);
    expect(shortestGapMinutes(cron("*/20 * * * *"), from)).toBe(20);
  });
});

describe("refusing a cron expression, in words", () => {
  it.each([
    ["0 6 * *", "five fields"],
    ["0 0 6 * * *", "five fields"],
    ["61 6 * * *", "minute"],
    ["0 25 * * *", "hour"],
    ["0 6 * 13 *", "month"],
    ["0 6 31 2 *", "never runs"],
  ])("%s: says %s", (expression, words) => {
    const parsed = parseCron(expression, "UTC");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toContain(words);
      expect(parsed.message).not.toMatch(/Cron\w*:/); // not the library's class names
    }
  });

  it("refuses a zone that is not one", () => {
    const parsed = parseCron("0 6 * * *", "Europe/Atlantis");
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining("not a time zone") });
  });

  it("gives the form and the API the same messages (the shared zod schema)", () => {
    const bad = scheduleInput.safeParse({ kind: "cron", expression: "61 6 * * *", timeZone: "UTC" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["expression"], message: expect.stringContaining("minute") });
    const zone = scheduleInput.safeParse({ kind: "cron", expression: "0 6 * * *", timeZone: "Mars/Olympus" });
    expect(zone.error?.issues).toHaveLength(1);
    expect(zone.error?.issues[0]?.path).toEqual(["timeZone"]);
    expect(scheduleInput.safeParse({ kind: "interval", minutes: 0 }).error?.issues[0]?.message).toBe(
      "The interval is at least 1 minute",
    );
    expect(scheduleInput.safeParse({ kind: "weekly" }).error?.issues[0]?.message).toBe(
      'kind must be "interval" or "cron"',
    );
    expect(scheduleInput.safeParse({ kind: "interval", minutes: 60, extra: 1 }).success).toBe(false);
  });
});

describe("the limits that protect the platforms' quotas", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  it("keeps insights and analysis at most hourly, token checks at most every 15 minutes", () => {
    expect(scheduleProblem("GSC_INSIGHTS", { kind: "interval", minutes: 30 }, now)).toBe(
      "Search Console insights may run every hour at most (Search Console's quota allows insights at most hourly); this schedule runs every 30 minutes.",
    );
    expect(scheduleProblem("GSC_INSIGHTS", { kind: "interval", minutes: 60 }, now)).toBeNull();
    expect(scheduleProblem("BING_INSIGHTS", cron("*/30 * * * *"), now)).toContain("every 30 minutes");
    expect(scheduleProblem("BING_INSIGHTS", cron("0 * * * *"), now)).toBeNull();
    expect(scheduleProblem("WEBSITE_ANALYSIS", cron("0,30 6 * * *"), now)).toContain("every 30 minutes");
    expect(scheduleProblem("OAUTH_TOKEN_MONITORING", { kind: "interval", minutes: 15 }, now)).toBeNull();
    expect(scheduleProblem("OAUTH_TOKEN_MONITORING", { kind: "interval", minutes: 5 }, now)).toContain("15 minutes");
  });

  it("leaves the system's own tasks alone", () => {
    expect(scheduleEditable("SYSTEM_RETENTION")).toBe(false);
    expect(scheduleProblem("SYSTEM_RETENTION", { kind: "interval", minutes: 60 }, now)).toContain("system's");
    expect(scheduleEditable("GSC_INSIGHTS")).toBe(true);
  });

  it("offers presets that every editable kind accepts or refuses by its limit", () => {
    for (const minutes of INTERVAL_PRESETS)
      expect(scheduleProblem("GSC_INSIGHTS", { kind: "interval", minutes }, now) === null).toBe(minutes >= 60);
  });
});

describe("a schedule in words", () => {
  it("reads intervals and cron expressions as people say them", () => {
    expect(intervalInWords(15)).toBe("every 15 minutes");
    expect(intervalInWords(60)).toBe("every hour");
    expect(intervalInWords(360)).toBe("every 6 hours");
    expect(intervalInWords(1440)).toBe("every day");
    expect(intervalInWords(10080)).toBe("every week");
    expect(intervalInWords(2880)).toBe("every 2 days");
    expect(describeSchedule(cron("0 6 * * *"))).toBe("At 06:00, every day (Europe/Berlin)");
    expect(describeSchedule(cron("30 9 * * 1-5", "UTC"))).toBe("At 09:30, Monday through Friday (UTC)");
  });

  it("reads the columns back as the schedule they hold", () => {
    expect(scheduleOf({ frequencyMinutes: 60, cronExpression: null, cronTimeZone: null })).toEqual({
      kind: "interval",
      minutes: 60,
    });
    expect(scheduleOf({ frequencyMinutes: 1440, cronExpression: "0 6 * * *", cronTimeZone: "Europe/Berlin" })).toEqual(
      cron("0 6 * * *"),
    );
  });
});
