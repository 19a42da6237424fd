import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseViewQuery } from "@/lib/validation/views";
import { MAX_SAVED_VIEWS, viewHref, viewQueryOf } from "@/lib/views";
import { InvalidInputError } from "@/server/errors";
import { saveView } from "@/server/services/views";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

describe("a page's URL state as a view", () => {
  it("keeps only the page's filters, sorted, without the open run or the default sort", () => {
    expect(parseViewQuery("logs", "?taskType=WEBSITE_ANALYSIS&run=42&status=FAILED&trigger=")).toEqual({
      ok: true,
      query: "status=FAILED&taskType=WEBSITE_ANALYSIS",
    });
    expect(parseViewQuery("jobs", "sort=nextRunAt%3Aasc&type=GSC_INSIGHTS")).toEqual({
      ok: true,
      query: "type=GSC_INSIGHTS",
    });
    expect(parseViewQuery("jobs", "sort=lastRunAt:desc&status=ENDED")).toEqual({
      ok: true,
      query: "sort=lastRunAt%3Adesc&status=ENDED",
    });
    expect(parseViewQuery("logs", "")).toEqual({ ok: true, query: "" });
    expect(viewQueryOf("logs", { run: "7", to: "2026-01-31", from: "2026-01-01" })).toBe(
      "from=2026-01-01&to=2026-01-31",
    );
    expect(viewHref("logs", "status=FAILED")).toBe("/dashboard/logs?status=FAILED");
    expect(viewHref("jobs", "")).toBe("/dashboard/jobs");
  });

  it("refuses, in words, a parameter the page does not have and a value its filter schema does not take", () => {
    const problem = (page: "logs" | "jobs", query: string) => {
      const parsed = parseViewQuery(page, query);
      return parsed.ok ? null : parsed.problem;
    };
    expect(problem("logs", "status=FAILED&utm_source=mail")).toBe(
      'Logs has no filter "utm_source": its filters are q, status, taskType, trigger, taskId, from and to',
    );
    expect(problem("jobs", "run=3")).toBe('Jobs has no filter "run": its filters are q, type, status and sort');
    expect(problem("logs", "status=BROKEN")).toMatch(/^status must be one of RUNNING, SUCCESS/);
    expect(problem("logs", "status=FAILED&status=SUCCESS")).toBe("The filter status is given more than once");
    expect(problem("logs", "from=2026-02-30")).toBe("The filter from must be a day written YYYY-MM-DD");
    expect(problem("logs", "from=2026-03-02&to=2026-03-01")).toBe("The start date is after the end date");
    expect(problem("jobs", "sort=createdAt:asc")).toMatch(/^The sort must be one of nextRunAt:asc/);
    expect(problem("jobs", "type=SYSTEM_RETENTION")).toMatch(/^type must be one of/);
  });
});

describe.each(testEngines())("saved views on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let viewer: { id: string };
  let admin: { id: string };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [alice, bob, viewer, admin] = [
      await createTestUser(t.db),
      await createTestUser(t.db),
      await createTestUser(t.db, "VIEWER"),
      await createTestUser(t.db, "ADMIN"),
    ];
  });
  afterAll(async () => {
    await t.drop();
  });

  it("saves, lists, renames and deletes the caller's views, the query kept normalised", async () => {
    const api = await callerFor(t, alice.id);
    const saved = await api.views.save({
      page: "logs",
      name: "  Failed analyses  ",
      query: "?taskType=WEBSITE_ANALYSIS&status=FAILED&run=12",
    });
    expect(saved).toMatchObject({
      replaced: false,
      view: { page: "logs", name: "Failed analyses", query: "status=FAILED&taskType=WEBSITE_ANALYSIS" },
    });
    expect(saved.message).toBe("Saved “Failed analyses” as a view of Logs.");
    const jobs = await api.views.save({ page: "jobs", name: "Ended", query: "status=ENDED" });
    // The same name on another page is another view.
    await api.views.save({ page: "jobs", name: "Failed analyses", query: "type=WEBSITE_ANALYSIS" });

    const listed = await api.views.list();
    expect(listed.map((v) => [v.page, v.name, v.query])).toEqual([
      ["logs", "Failed analyses", "status=FAILED&taskType=WEBSITE_ANALYSIS"],
      ["jobs", "Ended", "status=ENDED"],
      ["jobs", "Failed analyses", "type=WEBSITE_ANALYSIS"],
    ]);

    const renamed = await api.views.rename({ id: jobs.view.id, name: "Ended tasks" });
    expect(renamed).toMatchObject({ renamed: true, view: { id: jobs.view.id, name: "Ended tasks" } });
    expect(await api.views.rename({ id: jobs.view.id, name: "Ended tasks" })).toMatchObject({ renamed: false });
    await expect(api.views.rename({ id: jobs.view.id, name: "Failed analyses" })).rejects.toMatchObject({
      code: "CONFLICT",
      message:
        "You already have a view of Jobs named “Failed analyses”: choose another name, or delete that view first.",
    });

    expect(await api.views.delete({ id: jobs.view.id })).toEqual({ id: jobs.view.id, deleted: true });
    expect((await api.views.list()).map((v) => v.name)).toEqual(["Failed analyses", "Failed analyses"]);
    await expect(api.views.delete({ id: jobs.view.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("replaces the filter of a view saved again under the same name on the same page, and says so", async () => {
    const api = await callerFor(t, bob.id);
    const first = await api.views.save({ page: "logs", name: "Mine", query: "status=FAILED" });
    const again = await api.views.save({ page: "logs", name: "Mine", query: "status=TIMED_OUT&trigger=MANUAL" });
    expect(again).toMatchObject({
      replaced: true,
      view: { id: first.view.id, query: "status=TIMED_OUT&trigger=MANUAL" },
    });
    expect(again.message).toBe("“Mine” now opens this filter of Logs: it replaced the filter saved under that name.");
    const same = await api.views.save({ page: "logs", name: "Mine", query: "trigger=MANUAL&status=TIMED_OUT" });
    expect(same).toMatchObject({ replaced: true, message: "“Mine” already opens this filter of Logs." });
    expect((await api.views.list()).filter((v) => v.name === "Mine")).toHaveLength(1);
  });

  it("refuses bad names and queries with BAD_REQUEST and a sentence", async () => {
    const api = await callerFor(t, alice.id);
    const refused = (input: { page: "logs" | "jobs"; name: string; query: string }, message: string | RegExp) =>
      expect(api.views.save(input)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: typeof message === "string" ? message : expect.stringMatching(message),
      });
    await refused({ page: "logs", name: "   ", query: "" }, "Give the view a name");
    await refused({ page: "logs", name: "x".repeat(61), query: "" }, "A view's name is at most 60 characters");
    await refused({ page: "logs", name: "bad\u0000", query: "" }, /NUL character/);
    await refused(
      { page: "logs", name: "Tracking", query: "status=FAILED&utm_source=mail" },
      'Logs has no filter "utm_source": its filters are q, status, taskType, trigger, taskId, from and to',
    );
    await refused({ page: "jobs", name: "Broken", query: "status=NOPE" }, /^status must be one of ACTIVE/);
    await refused(
      { page: "logs", name: "Backwards", query: "from=2026-03-02&to=2026-03-01" },
      "The start date is after the end date",
    );
    await refused(
      { page: "logs", name: "Long", query: `taskId=${"a".repeat(1000)}` },
      /^A view's filter is at most 1000 characters/,
    );
    await expect(api.views.save({ page: "events" as "logs", name: "Events", query: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "page must be logs or jobs",
    });
    await expect(api.views.rename({ id: "", name: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const [view] = await api.views.list();
    await expect(api.views.rename({ id: view!.id, name: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Give the view a name",
    });
  });

  it("checks and normalises the query in the service too, for callers other than the router", async () => {
    const scope = { userId: alice.id, role: "USER" as const };
    await expect(saveView(t.db, scope, { page: "jobs", name: "Direct", query: "bogus=1" })).rejects.toThrow(
      new InvalidInputError('Jobs has no filter "bogus": its filters are q, type, status and sort'),
    );
    const saved = await saveView(t.db, scope, {
      page: "jobs",
      name: "Direct",
      query: "?sort=type:asc&type=BING_INSIGHTS",
    });
    expect(saved.view.query).toBe("sort=type%3Aasc&type=BING_INSIGHTS");
  });

  it(`keeps at most ${MAX_SAVED_VIEWS} views per account; a full account may still replace one`, async () => {
    const carol = await createTestUser(t.db);
    const api = await callerFor(t, carol.id);
    await t.db.savedView.createMany({
      data: Array.from({ length: MAX_SAVED_VIEWS }, (_, i) => ({
        userId: carol.id,
        page: "jobs" as const,
        name: `View ${i + 1}`,
        query: "",
      })),
    });
    await expect(api.views.save({ page: "logs", name: "One more", query: "status=FAILED" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^You already have 50 saved views, the most an account keeps: delete one/),
    });
    expect(await api.views.save({ page: "jobs", name: "View 7", query: "status=PAUSED" })).toMatchObject({
      replaced: true,
    });
    expect(await api.views.list()).toHaveLength(MAX_SAVED_VIEWS);
  });

  it("hides another user's views: never listed, NOT_FOUND by id, the admin's own only", async () => {
    const aliceApi = await callerFor(t, alice.id);
    const bobApi = await callerFor(t, bob.id);
    const adminApi = await callerFor(t, admin.id);
    const alices = await aliceApi.views.save({ page: "jobs", name: "Alice's", query: "type=GSC_INSIGHTS" });
    for (const api of [bobApi, adminApi]) {
      expect((await api.views.list()).map((v) => v.id)).not.toContain(alices.view.id);
      await expect(api.views.rename({ id: alices.view.id, name: "Taken" })).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: "Saved view not found",
      });
      await expect(api.views.delete({ id: alices.view.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // Saving under the same name makes the caller's own view, never touches Alice's.
    const bobs = await bobApi.views.save({ page: "jobs", name: "Alice's", query: "type=BING_INSIGHTS" });
    expect(bobs).toMatchObject({ replaced: false });
    expect(bobs.view.id).not.toBe(alices.view.id);
    const stored = await t.db.savedView.findUniqueOrThrow({ where: { id: alices.view.id } });
    expect(stored).toMatchObject({ userId: alice.id, name: "Alice's", query: "type=GSC_INSIGHTS" });
    expect(await adminApi.views.list()).toEqual([]);
  });

  it("lets a read-only viewer list views and refuses their changes with FORBIDDEN", async () => {
    await t.db.savedView.create({ data: { userId: viewer.id, page: "logs", name: "Given", query: "status=FAILED" } });
    const api = await callerFor(t, viewer.id);
    const [view] = await api.views.list();
    expect(view).toMatchObject({ name: "Given", query: "status=FAILED" });
    await expect(api.views.save({ page: "logs", name: "Mine", query: "" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(api.views.rename({ id: view!.id, name: "Renamed" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.views.delete({ id: view!.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await api.views.list()).toHaveLength(1);
    await expect((await callerFor(t, null)).views.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("goes with its user", async () => {
    const dave = await createTestUser(t.db);
    await (await callerFor(t, dave.id)).views.save({ page: "logs", name: "Gone soon", query: "" });
    await t.db.user.delete({ where: { id: dave.id } });
    expect(await t.db.savedView.count({ where: { userId: dave.id } })).toBe(0);
  });
});
