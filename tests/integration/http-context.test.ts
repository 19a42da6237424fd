import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { MicroCache } from "@/server/micro-cache";
import { sessionUserIdFromRequest } from "@/server/session";
import { findSessionUserCached, setRole } from "@/server/services/users";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const secret = process.env.AUTH_SECRET!;

function requestWith(cookie: string) {
  return new Request("http://127.0.0.1/api/trpc/system.me", { headers: { cookie } });
}

describe("the API's session: read from next-auth's cookie, decoded once per token", () => {
  it("accepts a valid session cookie, plain or __Secure-, and refuses a tampered or expired one", async () => {
    const token = await encode({ token: { sub: "user-1" }, secret, salt: "authjs.session-token", maxAge: 3600 });
    expect(await sessionUserIdFromRequest(requestWith(`authjs.session-token=${token}`))).toBe("user-1");
    expect(await sessionUserIdFromRequest(requestWith(`authjs.session-token=${token}`))).toBe("user-1"); // from the cache

    const secure = await encode({
      token: { sub: "user-2" },
      secret,
      salt: "__Secure-authjs.session-token",
      maxAge: 3600,
    });
    expect(await sessionUserIdFromRequest(requestWith(`__Secure-authjs.session-token=${secure}`))).toBe("user-2");
    // A token made for one cookie name does not work under the other (the salt differs).
    expect(await sessionUserIdFromRequest(requestWith(`authjs.session-token=${secure}`))).toBeNull();

    const tampered = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await sessionUserIdFromRequest(requestWith(`authjs.session-token=${tampered}`))).toBeNull();
    const forged = await encode({
      token: { sub: "user-1" },
      secret: "another-secret-another-secret-0123456789",
      salt: "authjs.session-token",
      maxAge: 3600,
    });
    expect(await sessionUserIdFromRequest(requestWith(`authjs.session-token=${forged}`))).toBeNull();
    expect(await sessionUserIdFromRequest(requestWith("theme=dark"))).toBeNull();

    // A cached token stops working when it expires.
    const shortLived = await encode({ token: { sub: "user-3" }, secret, salt: "authjs.session-token", maxAge: 60 });
    expect(await sessionUserIdFromRequest(requestWith(`authjs.session-token=${shortLived}`))).toBe("user-3");
    expect(
      await sessionUserIdFromRequest(requestWith(`authjs.session-token=${shortLived}`), Date.now() + 61_000),
    ).toBeNull();
  });
});

describe.each(testEngines())("shared aggregates and session users over HTTP on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("shares an overview between a user's requests for a second, but shows their own change at once", async () => {
    const user = await createTestUser(t.db);
    const other = await createTestUser(t.db);
    for (const owner of [user, other]) {
      await t.db.task.create({
        data: {
          userId: owner.id,
          type: "GSC_INSIGHTS",
          dedupeKey: "GSC_INSIGHTS:GSC",
          platform: "GSC",
          frequencyMinutes: 60,
          nextRunAt: new Date(Date.now() + 3_600_000),
        },
      });
    }
    const aggregates = new MicroCache<object>({ ttlMs: 60_000 }); // long enough to see what is cached
    const caller = async (id: string) =>
      createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: id, aggregates }));
    const mine = await caller(user.id);
    expect((await mine.dashboard.overview({ days: 7 })).tasksByStatus.PAUSED).toBe(0);

    // A change made behind the API's back shows only when the shared result expires...
    const theirs = await t.db.task.findFirstOrThrow({ where: { userId: other.id } });
    const otherCaller = await caller(other.id);
    expect((await otherCaller.dashboard.overview({ days: 7 })).tasksByStatus.PAUSED).toBe(0);
    await t.db.task.update({ where: { id: theirs.id }, data: { status: "PAUSED" } });
    expect((await otherCaller.dashboard.overview({ days: 7 })).tasksByStatus.PAUSED).toBe(0);

    // ...but a user's own change through the API shows on their next read.
    const task = await t.db.task.findFirstOrThrow({ where: { userId: user.id } });
    await mine.tasks.pause({ taskId: task.id });
    expect((await mine.dashboard.overview({ days: 7 })).tasksByStatus.PAUSED).toBe(1);
  });

  it("re-reads a session user at most once a second, and at once after a role change made here", async () => {
    const admin = await createTestUser(t.db, "ADMIN");
    const user = await createTestUser(t.db);
    expect((await findSessionUserCached(t.db, user.id))?.role).toBe("USER");
    await setRole(t.db, admin.id, { userId: user.id, role: "VIEWER" });
    expect((await findSessionUserCached(t.db, user.id))?.role).toBe("VIEWER");
  });
});
