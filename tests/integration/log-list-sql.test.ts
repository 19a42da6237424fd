/**
 * The execution-log list reads a page in one SQL statement (`executionLogsSql`, beside
 * `executionLogsWhere`). Over random filters, cursors, offsets and limits, for a user and an admin, on
 * both engines, its pages and count must be exactly what Prisma reads through `executionLogsWhere`,
 * field for field (dates, flags, the task's target and role, the owner's email for an admin), with the
 * result only when asked for (the REST facade); the run's own page always has it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/sqlite/client";
import type { ExecutionStatus, FailureCategory, TriggerKind } from "@/generated/sqlite/enums";
import type { ExecutionLogsInput } from "@/lib/validation/monitoring";
import { executionLogsWhere } from "@/server/services/logs";
import type { Scope } from "@/server/services/scope";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const STATUSES: ExecutionStatus[] = ["SUCCESS", "FAILED", "TIMED_OUT", "RUNNING", "SKIPPED"];
const TRIGGERS: TriggerKind[] = ["SCHEDULED", "MANUAL", "RETRY"];
const RESULTS: (Prisma.InputJsonValue | null)[] = [null, { ok: true, n: 3 }, { pages: [1, 2], note: "é ✓" }, [1, "x"]];

describe.each(testEngines())("the log list's SQL page on %s", (engine) => {
  let t: TestDatabase;
  const users: { id: string; role: "USER" | "ADMIN" }[] = [];
  const taskIds: string[] = [];
  /** Every run's start: a range bound that falls exactly on one tests the ends are included. */
  const starts: Date[] = [];
  const start = Date.UTC(2026, 9, 1);
  const r = prng(1919);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (const role of ["USER", "USER", "ADMIN"] as const)
      users.push({ id: (await createTestUser(t.db, role)).id, role });
    let n = 0;
    for (const owner of users) {
      for (const [i, type] of (["GSC_INSIGHTS", "WEBSITE_ANALYSIS", "OAUTH_TOKEN_MONITORING"] as const).entries()) {
        const task = await t.db.task.create({
          data: {
            userId: owner.id,
            type,
            dedupeKey: `${type}:${i}`,
            platform: type === "GSC_INSIGHTS" ? "GSC" : type === "OAUTH_TOKEN_MONITORING" ? "WIX" : null,
            websiteUrl: type === "WEBSITE_ANALYSIS" ? "https://own.example/" : null,
            websiteRole: type === "WEBSITE_ANALYSIS" ? "OWN" : null,
            frequencyMinutes: [60, 360, 1440][i]!,
          },
        });
        taskIds.push(task.id);
        for (let k = 0; k < 25; k++) {
          const status = r.pick(STATUSES);
          const startedAt = new Date(start + n++ * 3_600_000 + r.int(0, 999));
          starts.push(startedAt);
          await t.db.executionLog.create({
            data: {
              taskId: task.id,
              userId: owner.id,
              taskType: type,
              status,
              trigger: r.pick(TRIGGERS),
              attempt: r.int(1, 3),
              scheduledFor: r.chance(0.5) ? new Date(startedAt.getTime() - 1000) : null,
              startedAt,
              finishedAt: status === "RUNNING" ? null : new Date(startedAt.getTime() + r.int(1, 5000)),
              durationMs: status === "RUNNING" ? null : r.int(1, 5000),
              result: r.pick(RESULTS) ?? undefined,
              errorMessage: status === "FAILED" ? "HTTP 503" : null,
              errorCategory: status === "FAILED" ? r.pick<FailureCategory>(["NETWORK_ERROR", "API_LIMIT"]) : null,
              retryable: status === "FAILED" ? r.chance(0.5) : null,
              dataSource: r.chance(0.3) ? "api" : null,
            },
          });
        }
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** The same page read through Prisma and `executionLogsWhere`, shaped as the list shapes rows. */
  async function expected(scope: Scope, input: ExecutionLogsInput) {
    const rows = await t.db.executionLog.findMany({
      where: { ...executionLogsWhere(scope, input), ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
      orderBy: { id: "desc" },
      skip: input.cursor ? undefined : input.offset,
      take: input.limit,
      include: { task: true, user: true },
    });
    return rows.map(({ task, user, workerId: _w, result, ...log }) => ({
      ...log,
      ...(input.withResult ? { result } : {}),
      target: task.websiteUrl ?? task.platform,
      websiteRole: task.websiteRole,
      taskFrequencyMinutes: task.frequencyMinutes,
      ownerEmail: scope.role === "ADMIN" ? (user?.email ?? null) : null,
    }));
  }

  it("gives the rows and count Prisma reads through executionLogsWhere, for random filters and pages", async () => {
    for (let round = 0; round < 60; round++) {
      const who = r.pick(users);
      const scope: Scope = { userId: who.id, role: who.role };
      const from = r.chance(0.3) ? r.pick(starts) : undefined;
      const to = r.chance(0.3) ? r.pick(starts.filter((d) => !from || d >= from)) : undefined;
      const input: ExecutionLogsInput = {
        limit: r.pick([1, 5, 20, 200]),
        status: r.chance(0.4) ? r.pick(STATUSES) : undefined,
        taskType: r.chance(0.3)
          ? r.pick(["GSC_INSIGHTS", "WEBSITE_ANALYSIS", "OAUTH_TOKEN_MONITORING"] as const)
          : undefined,
        taskId: r.chance(0.2) ? r.pick(taskIds) : undefined,
        trigger: r.chance(0.3) ? r.pick(TRIGGERS) : undefined,
        from,
        to,
        offset: r.chance(0.2) ? r.int(0, 10) : undefined,
        cursor: r.chance(0.3) ? r.int(1, 250) : undefined,
        withResult: r.chance(0.3) ? true : undefined,
      };
      const caller = await callerFor(t, who.id);
      const page = await caller.monitoring.executionLogs(input);
      const want = await expected(scope, input);
      expect(page.items, JSON.stringify({ round, input })).toEqual(want);
      if (!input.withResult) for (const item of page.items) expect(item).not.toHaveProperty("result");
      if (!input.cursor) {
        const total = await t.db.executionLog.count({ where: executionLogsWhere(scope, input) });
        expect(page.count).toEqual({ total, capped: false, label: String(total) });
      } else expect(page.count).toBeNull();
    }
  });

  it("walks every page with nextCursor, each run once", async () => {
    const admin = users.find((u) => u.role === "ADMIN")!;
    const caller = await callerFor(t, admin.id);
    const ids: number[] = [];
    let cursor: number | null = null;
    do {
      const page: Awaited<ReturnType<typeof caller.monitoring.executionLogs>> = await caller.monitoring.executionLogs({
        limit: 7,
        cursor,
      });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await t.db.executionLog.findMany({ orderBy: { id: "desc" }, select: { id: true } });
    expect(ids).toEqual(all.map((l) => l.id));
  });

  it("keeps the result for the run's own page", async () => {
    const own = users[0]!;
    const caller = await callerFor(t, own.id);
    const [first] = (await caller.monitoring.executionLogs({ limit: 1, status: "SUCCESS" })).items;
    const run = await caller.monitoring.executionLog({ id: first!.id });
    const stored = await t.db.executionLog.findUniqueOrThrow({ where: { id: first!.id } });
    expect(run.result).toEqual(stored.result);
    expect(run).toMatchObject({ ...first });
  });
});
