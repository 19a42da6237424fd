/**
 * The authorization matrix, generated from the routers themselves: every tRPC procedure and every
 * REST facade path must be listed here (a new one fails the first test until it is), and each is
 * called as nobody, as a read-only viewer, as a regular user on another user's ids, and as a
 * non-admin on admin procedures. Another user's rows must come out unchanged.
 */
import { TRPCError } from "@trpc/server";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { env } from "@/server/config/env";
import { createRequestLimits } from "@/server/limits";
import { handleFacade, ROUTES } from "@/server/rest/facade";
import { handleExport } from "@/server/rest/export";
import { EXPORT_KINDS, EXPORT_PATHS } from "@/lib/export";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { MATRIX, REST, ROUTE_MATRIX, type Ids } from "../authorization/matrix";

const answer = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError ? error.code : `THROWN ${String(error)}`),
  );
const procedures = Object.entries(appRouter._def.procedures).map(([path, p]) => ({
  path,
  type: (p as unknown as { _def: { type: string } })._def.type,
}));

describe("the authorization matrix covers the whole API", () => {
  it("lists every tRPC procedure and every REST path, and nothing that no longer exists", () => {
    expect(procedures.map((p) => p.path).sort()).toEqual(Object.keys(MATRIX).sort());
    for (const { path, type } of procedures)
      expect({ path, mutation: MATRIX[path]!.mutation === true }).toEqual({ path, mutation: type === "mutation" });
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(REST).sort());
    for (const r of ROUTES)
      expect({ path: r.path, access: r.access }).toEqual({
        path: r.path,
        access: REST[`${r.method} ${r.path}`]!.access,
      });
  });
});

describe.each(testEngines())("authorization on %s", (engine) => {
  let t: TestDatabase;
  let owner: string;
  let intruder: string;
  let viewer: string;
  let admin: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [owner, intruder, viewer, admin] = [
      (await createTestUser(t.db)).id,
      (await createTestUser(t.db)).id,
      (await createTestUser(t.db, "VIEWER")).id,
      (await createTestUser(t.db, "ADMIN")).id,
    ];
    const connection = await t.db.platformConnection.create({
      data: { userId: owner, platform: "GSC", status: "CONNECTED", siteUrls: ["https://owner.example/"] },
    });
    const mk = (data: Record<string, unknown>) =>
      t.db.task
        .create({
          data: { userId: owner, frequencyMinutes: 60, nextRunAt: new Date(Date.now() + 3_600_000), ...data } as never,
          select: { id: true },
        })
        .then((x) => x.id);
    const task = await mk({
      type: "GSC_INSIGHTS",
      dedupeKey: "GSC_INSIGHTS:GSC",
      platform: "GSC",
      connectionId: connection.id,
    });
    await mk({
      type: "OAUTH_TOKEN_MONITORING",
      dedupeKey: "OAUTH_TOKEN_MONITORING:GSC",
      platform: "GSC",
      connectionId: connection.id,
    });
    const failedTask = await mk({
      type: "BING_INSIGHTS",
      dedupeKey: "BING_INSIGHTS:BING",
      platform: "BING",
      status: "FAILED",
      consecutiveFailures: 1,
      failureCategory: "NETWORK_ERROR",
    });
    const pausedTask = await mk({
      type: "WEBSITE_ANALYSIS",
      dedupeKey: "WEBSITE_ANALYSIS:x",
      websiteUrl: "https://owner.example/",
      status: "PAUSED",
    });
    const log = await t.db.executionLog.create({
      data: {
        taskId: task,
        userId: owner,
        taskType: "GSC_INSIGHTS",
        status: "SUCCESS",
        finishedAt: new Date(),
        durationMs: 5,
      },
    });
    await t.db.schedulerEvent.create({
      data: { type: "JOB_COMPLETED", userId: owner, taskId: task, executionLogId: log.id, runStatus: "SUCCESS" },
    });
    const website = await t.db.website.create({ data: { userId: owner, url: "https://owner.example/" } });
    const alert = await t.db.alert.create({
      data: { userId: owner, kind: "RECONNECT_REQUIRED", title: "t", message: "m" },
    });
    const token = await t.db.apiToken.create({
      data: { userId: owner, name: "owner's", tokenHash: "0".repeat(64), prefix: "sd_owner" },
    });
    const channel = await t.db.alertChannel.create({
      data: { userId: owner, kind: "WEBHOOK", name: "owner's hook", url: "https://hooks.example/owner" },
    });
    const delivery = await t.db.alertDelivery.create({
      data: { id: "msg_owner", userId: owner, channelId: channel.id, purpose: "TEST", payload: {}, status: "FAILED" },
    });
    const view = await t.db.savedView.create({
      data: { userId: owner, page: "jobs", name: "owner's view", query: "status=PAUSED" },
    });
    // The intruder's own view of the same name: theirs to change, never the owner's.
    await t.db.savedView.create({ data: { userId: intruder, page: "jobs", name: "owner's view", query: "" } });
    ids = {
      view: view.id,
      channel: channel.id,
      delivery: delivery.id,
      task,
      failedTask,
      pausedTask,
      log: log.id,
      website: website.id,
      alert: alert.id,
      token: token.id,
      user: owner,
    };
  });
  afterAll(async () => {
    await t.drop();
  });

  const ownersRows = () =>
    Promise.all([
      t.db.task.findMany({ where: { userId: owner }, orderBy: { id: "asc" } }),
      t.db.executionLog.findMany({ where: { userId: owner }, orderBy: { id: "asc" } }),
      t.db.schedulerEvent.findMany({ where: { userId: owner }, orderBy: { id: "asc" } }),
      t.db.platformConnection.findMany({ where: { userId: owner } }),
      t.db.website.findMany({ where: { userId: owner } }),
      t.db.alert.findMany({ where: { userId: owner } }),
      t.db.apiToken.findMany({ where: { userId: owner } }),
      t.db.alertChannel.findMany({ where: { userId: owner }, orderBy: { id: "asc" } }),
      t.db.alertDelivery.findMany({ where: { userId: owner } }),
      t.db.alertRule.findMany({ where: { userId: owner } }),
      t.db.savedView.findMany({ where: { userId: owner } }),
      t.db.user.findUnique({ where: { id: owner } }),
    ]);
  const callerFor = async (userId: string | null, crossSite = false) =>
    createCaller(
      await createInnerContext({
        db: t.db,
        engine: t.engine,
        sessionUserId: userId,
        limits: createRequestLimits({ mutations: 1_000_000, reads: 1_000_000 }),
        crossSite,
      }),
    );
  const call = (caller: Awaited<ReturnType<typeof callerFor>>, path: string, input: unknown) =>
    (
      path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        i: unknown,
      ) => Promise<unknown>
    )(input);

  it("tRPC: nobody gets UNAUTHORIZED, a viewer cannot change anything, a user cannot reach admin procedures or another user's ids, no change comes from another site", async () => {
    const before = await ownersRows();
    const [anonymous, asViewer, asIntruder, asAdmin, fromAnotherSite, anonymousFromAnotherSite] = [
      await callerFor(null),
      await callerFor(viewer),
      await callerFor(intruder),
      await callerFor(admin),
      await callerFor(admin, true),
      await callerFor(null, true),
    ];
    let cases = 0;
    for (const { path, type } of procedures) {
      const entry = MATRIX[path]!;
      const input = entry.valid?.(ids);
      const anon = await answer(call(anonymous, path, input));
      expect({ path, anon }).toEqual({ path, anon: entry.access === "public" ? "OK" : "UNAUTHORIZED" });
      cases++;
      if (type === "mutation") {
        expect({ path, viewer: await answer(call(asViewer, path, input)) }).toEqual({ path, viewer: "FORBIDDEN" });
        // A request whose Origin is another site: even an admin's valid mutation, even a public one.
        expect({ path, crossSite: await answer(call(fromAnotherSite, path, input)) }).toEqual({
          path,
          crossSite: "FORBIDDEN",
        });
        expect({ path, crossSite: await answer(call(anonymousFromAnotherSite, path, input)) }).toEqual({
          path,
          crossSite: "FORBIDDEN",
        });
        cases += 3;
      } else {
        // Reads are not refused for their Origin (no CORS: another site cannot read the answer anyway).
        expect({ path, crossSite: await answer(call(anonymousFromAnotherSite, path, input)) }).toEqual({
          path,
          crossSite: anon,
        });
        cases++;
      }
      if (entry.access === "admin") {
        expect({ path, user: await answer(call(asIntruder, path, input)) }).toEqual({ path, user: "FORBIDDEN" });
        cases++;
        // ...and open to an admin (setRole is exercised in its own test: it would touch the owner's row).
        if (path !== "system.users.setRole") {
          expect({ path, admin: await answer(call(asAdmin, path, input)) }).toEqual({ path, admin: "OK" });
          cases++;
        }
      }
      if (entry.foreign) {
        const result = await call(asIntruder, path, entry.foreign(ids)).then(
          (value) => ({ code: "OK", value }),
          (error: unknown) => ({
            code: error instanceof TRPCError ? error.code : `THROWN ${String(error)}`,
            value: null,
          }),
        );
        if (entry.foreignAnswer === "NOT_FOUND")
          expect({ path, code: result.code }).toEqual({ path, code: "NOT_FOUND" });
        else
          expect({ path, code: result.code, items: (result.value as { items: unknown[] }).items }).toEqual({
            path,
            code: "OK",
            items: [],
          });
        cases++;
      }
    }
    console.log(`[measure] ${engine}: tRPC authorization matrix: ${procedures.length} procedures, ${cases} cases`);
    expect(await ownersRows()).toEqual(before);
  });

  it("REST facade: 401 without credentials, 403 for admin paths and a viewer's POSTs, 404 for another user's ids", async () => {
    const before = await ownersRows();
    const intruderToken = await t.db.apiToken.create({
      data: { userId: intruder, name: "intruder", tokenHash: "1".repeat(64), prefix: "sd_intrud" },
    });
    const viewerToken = await t.db.apiToken.create({
      data: { userId: viewer, name: "viewer", tokenHash: "2".repeat(64), prefix: "sd_viewer" },
    });
    const tokens: Record<string, string> = { intruder: intruderToken.userId, viewer: viewerToken.userId };
    const rest = async (method: string, path: string, who?: "intruder" | "viewer") => {
      const request = new Request(`http://127.0.0.1/api/scheduler${path}`, {
        method,
        headers: who ? { authorization: `Bearer ${who}` } : {},
        body: method === "POST" ? "{}" : undefined,
      });
      const response = await handleFacade(request, path, {
        db: t.db,
        engine: t.engine,
        env: env(),
        scheduler: null,
        sessionUserId: async () => null,
        tokenUserId: async (token) => tokens[token] ?? null,
      });
      return response.status;
    };
    const fill = (template: string) =>
      template.replace("{user_id}", owner).replace("{task_type}", "gsc_insights").replace("{task_id}", ids.task);
    let cases = 0;
    for (const route of ROUTES) {
      const entry = REST[`${route.method} ${route.path}`]!;
      const path = fill(route.path);
      const anonymous = await rest(route.method, path);
      expect({ path, anonymous }).toEqual({ path, anonymous: entry.access === "public" ? 200 : 401 });
      cases++;
      if (entry.access === "admin") {
        expect({ path, user: await rest(route.method, path, "intruder") }).toEqual({ path, user: 403 });
        cases++;
      }
      if (route.method === "POST" && entry.access !== "public") {
        expect({ path, viewer: await rest(route.method, path, "viewer") }).toEqual({ path, viewer: 403 });
        cases++;
      }
      if (entry.foreignUserPath || path.includes(ids.task)) {
        expect({ path, intruder: await rest(route.method, path, "intruder") }).toEqual({ path, intruder: 404 });
        cases++;
      }
    }
    console.log(`[measure] ${engine}: REST authorization matrix: ${ROUTES.length} paths, ${cases} cases`);
    expect(await ownersRows()).toEqual(before);
  });

  it("route handlers that read (\"reader\": the exports): 401 signed out, open to a viewer, only one's own rows, an admin everyone's", async () => {
    const before = await ownersRows();
    const ownerEvent = (await t.db.schedulerEvent.findFirstOrThrow({ where: { userId: owner } })).id;
    const readers = Object.entries(ROUTE_MATRIX).filter(([, entry]) => entry.rule === "reader");
    expect(readers.length).toBeGreaterThanOrEqual(2);
    let cases = 0;
    for (const [route, entry] of readers) {
      const url = new URL(entry.sample, "http://127.0.0.1");
      const kind = EXPORT_KINDS.find((k) => EXPORT_PATHS[k] === url.pathname);
      expect({ route, kind }).toEqual({ route, kind: expect.any(String) });
      const get = async (who: string | null) => {
        const response = await handleExport(new Request(url), kind!, {
          sessionUserId: async () => who,
          tokenUserId: async () => null,
          createContext: (userId) =>
            createInnerContext({
              db: t.db,
              engine: t.engine,
              sessionUserId: userId,
              limits: createRequestLimits({ mutations: 1_000_000, reads: 1_000_000 }),
            }),
        });
        const text = await response.text();
        const ids =
          response.status === 200
            ? (parse(text, { columns: true }) as Record<string, string>[]).map((row) => Number(row.id))
            : [];
        return { status: response.status, ids };
      };
      const ownersRow = kind === "events" ? ownerEvent : ids.log;
      expect({ route, anonymous: (await get(null)).status }).toEqual({ route, anonymous: 401 });
      expect({ route, viewer: await get(viewer) }).toEqual({ route, viewer: { status: 200, ids: [] } });
      const asIntruder = await get(intruder);
      expect({ route, status: asIntruder.status, owners: asIntruder.ids.includes(ownersRow) }).toEqual({
        route,
        status: 200,
        owners: false,
      });
      const asOwner = await get(owner);
      expect({ route, status: asOwner.status, owners: asOwner.ids.includes(ownersRow) }).toEqual({
        route,
        status: 200,
        owners: true,
      });
      const asAdmin = await get(admin);
      expect({ route, status: asAdmin.status, owners: asAdmin.ids.includes(ownersRow) }).toEqual({
        route,
        status: 200,
        owners: true,
      });
      cases += 5;
    }
    console.log(`[measure] ${engine}: route handlers that read: ${readers.length} routes, ${cases} cases`);
    expect(await ownersRows()).toEqual(before);
  });
});
