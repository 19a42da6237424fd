/**
 * Jobs reads a page in one statement (`listJobs` in dashboard.ts, `jobsSql` beside `jobsWhere`). Over
 * random tasks (every type and status, empty and equal dates, connections in every state, two users
 * and an admin) and random filters, searches, sorts and orders, on both engines:
 * - a first page is exactly Prisma's first page of `jobsWhere` in the same order;
 * - walking every page by `nextCursor` gives Prisma's whole list in that order, each job once;
 * - a cursor that names no task gives an empty page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import type { ConnectionStatus, Platform, TaskStatus, TaskType } from "@/generated/sqlite/enums";
import type { JobsInput } from "@/lib/validation/dashboard";
import { needsReconnect } from "@/lib/states";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { jobsWhere } from "@/server/services/dashboard";
import type { Scope } from "@/server/services/scope";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const SORTS = ["nextRunAt", "lastRunAt", "type", "status", "createdAt"] as const;
const STATUSES: TaskStatus[] = ["ACTIVE", "PAUSED", "FAILED", "NEEDS_INTERVENTION", "ENDED"];
const SEARCHES = [undefined, "bing", "example", "site-1", "paused", "zzz-nothing"];

/** Every job of the filter in the list's order, as Prisma reads them (the oracle). */
async function prismaJobs(db: Db, scope: Scope, input: JobsInput, take?: number) {
  const rows = await db.task.findMany({
    where: jobsWhere(scope, input),
    orderBy: [
      input.sort === "nextRunAt" || input.sort === "lastRunAt"
        ? { [input.sort]: { sort: input.order, nulls: "last" } }
        : { [input.sort]: input.order },
      { id: input.order },
    ],
    take,
    select: { id: true, user: { select: { email: true } }, connection: { select: { status: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    ownerEmail: scope.role === "ADMIN" ? (r.user?.email ?? null) : null,
    waitingForReconnect: needsReconnect(r.connection?.status),
  }));
}

describe.each(testEngines())("Jobs' one-statement pages on %s", (engine) => {
  let t: TestDatabase;
  const users: { id: string; role: "USER" | "ADMIN" }[] = [];
  const r = prng(2022);
  const base = Date.now();
  // A few distinct times, so that many tasks tie and the id decides.
  const someTime = () => new Date(base + r.int(-3, 3) * 3_600_000);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (const role of ["USER", "USER", "ADMIN"] as const)
      users.push({ id: (await createTestUser(t.db, role)).id, role });
    for (const user of users) {
      const connections = new Map<Platform, string>();
      for (const platform of ["GSC", "BING"] as Platform[]) {
        const c = await t.db.platformConnection.create({
          data: {
            userId: user.id,
            platform,
            status: r.pick<ConnectionStatus>(["CONNECTED", "EXPIRING", "EXPIRED", "REVOKED", "ERROR", "DISCONNECTED"]),
          },
        });
        connections.set(platform, c.id);
      }
      for (let i = 0; i < 30; i++) {
        const type = r.pick<TaskType>([...VISIBLE_TASK_TYPES]);
        const platform = type === "BING_INSIGHTS" ? "BING" : type === "GSC_INSIGHTS" ? "GSC" : null;
        await t.db.task.create({
          data: {
            userId: user.id,
            type,
            status: r.pick(STATUSES),
            dedupeKey: `k${i}`,
            frequencyMinutes: 60,
            platform,
            connectionId: platform ? connections.get(platform) : null,
            websiteUrl: type === "WEBSITE_ANALYSIS" ? `https://site-${i % 3}.example/` : null,
            nextRunAt: r.chance(0.25) ? null : someTime(),
            lastRunAt: r.chance(0.4) ? null : someTime(),
            createdAt: someTime(),
          },
        });
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  const randomInput = (): JobsInput => ({
    sort: r.pick(SORTS),
    order: r.pick(["asc", "desc"] as const),
    limit: r.pick([1, 4, 7, 50]),
    type: r.chance(0.3) ? r.pick([...VISIBLE_TASK_TYPES]) : undefined,
    status: r.chance(0.3) ? r.pick(STATUSES) : undefined,
    search: r.chance(0.3) ? r.pick(SEARCHES) : undefined,
  });

  it("gives Prisma's first page, and Prisma's whole list page by page, for random filters and sorts", async () => {
    let walkedSome = 0;
    for (let round = 0; round < 40; round++) {
      const who = r.pick(users);
      const scope: Scope = { userId: who.id, role: who.role };
      const input = randomInput();
      const caller = await callerFor(t, who.id);
      const first = await caller.dashboard.jobs(input);
      const pick = (i: { id: string; ownerEmail: string | null; waitingForReconnect: boolean }) => ({
        id: i.id,
        ownerEmail: i.ownerEmail,
        waitingForReconnect: i.waitingForReconnect,
      });
      expect(first.items.map(pick), JSON.stringify({ round, input })).toEqual(
        await prismaJobs(t.db, scope, input, input.limit),
      );
      const walked = [...first.items.map((i) => i.id)];
      for (let cursor = first.nextCursor; cursor;) {
        const page = await caller.dashboard.jobs({ ...input, cursor });
        walked.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        walkedSome++;
      }
      expect(walked, JSON.stringify({ round, input })).toEqual((await prismaJobs(t.db, scope, input)).map((j) => j.id));
    }
    expect(walkedSome).toBeGreaterThan(20);
  });

  it("gives nothing after a cursor that names no task", async () => {
    const page = await (await callerFor(t, users[0]!.id)).dashboard.jobs({ cursor: "no-such-task", limit: 50 });
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it("returns each job's fields as Prisma reads them: dates, numbers, the trigger", async () => {
    const admin = users.find((u) => u.role === "ADMIN")!;
    const { items } = await (await callerFor(t, admin.id)).dashboard.jobs({ limit: 200, sort: "createdAt" });
    const tasks = await t.db.task.findMany({ where: { id: { in: items.map((i) => i.id) } } });
    const byId = new Map(tasks.map((task) => [task.id, task]));
    for (const item of items) {
      const task = byId.get(item.id)!;
      expect(item).toMatchObject({
        userId: task.userId,
        type: task.type,
        status: task.status,
        nextRunAt: task.nextRunAt,
        lastRunAt: task.lastRunAt,
        frequencyMinutes: task.frequencyMinutes,
        consecutiveFailures: task.consecutiveFailures,
        graceMinutes: task.graceMinutes,
        target: task.websiteUrl ?? task.platform,
        running: false,
        trigger: "interval",
      });
    }
  });

  it("names each owner's own website as the first of their current own-site jobs in byte order, only for whom the caller sees", async () => {
    const admin = users.find((u) => u.role === "ADMIN")!;
    const [alice, bob] = users.filter((u) => u.role === "USER");
    // Upper case sorts before lower case in byte order, after it in most locales' collations.
    for (const [url, status] of [
      ["https://Zed.example/", "ACTIVE"],
      ["https://abc.example/", "PAUSED"],
      ["https://Aaa.example/", "ENDED"],
    ] as const)
      await t.db.task.create({
        data: {
          userId: bob!.id,
          type: "WEBSITE_ANALYSIS",
          websiteRole: "OWN",
          status,
          dedupeKey: `own-${url}`,
          frequencyMinutes: 60,
          websiteUrl: url,
        },
      });
    const everyone = users.map((u) => u.id);
    const oracle = async (ids: string[]) => {
      const tasks = await t.db.task.findMany({
        where: { userId: { in: ids }, type: "WEBSITE_ANALYSIS", websiteRole: "OWN", status: { not: "ENDED" } },
      });
      const first = new Map<string, string>();
      for (const task of tasks)
        if (task.userId && task.websiteUrl) {
          const known = first.get(task.userId);
          if (known === undefined || task.websiteUrl < known) first.set(task.userId, task.websiteUrl);
        }
      return [...first].map(([userId, site]) => ({ userId, site })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
    };
    const asAdmin = await (await callerFor(t, admin.id)).dashboard.jobOwnerSites({ userIds: everyone });
    expect(asAdmin.items).toEqual(await oracle(everyone));
    expect(asAdmin.items.find((i) => i.userId === bob!.id)?.site).toBe("https://Zed.example/");
    // A user asking for everyone hears only of themself.
    const asAlice = await (await callerFor(t, alice!.id)).dashboard.jobOwnerSites({ userIds: everyone });
    expect(asAlice.items).toEqual(await oracle([alice!.id]));
    await expect((await callerFor(t, alice!.id)).dashboard.jobOwnerSites({ userIds: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
