import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LiveEvent } from "@/lib/live";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { liveBusFor } from "@/server/live-bus";
import { SchedulerEngine } from "@/server/scheduler/engine";
import type { ExecutorRegistry } from "@/server/scheduler/types";
import { waitFor } from "../helpers/clock";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { spawnWorker, type WorkerProcess } from "../helpers/processes";

const ok: ExecutorRegistry = { GSC_INSIGHTS: async () => ({ ok: true, result: { clicks: 1 }, dataSource: "api" }) };

/** One open `live.events` stream as a caller sees it: the events so far, their ids, and how to close it. */
interface Stream {
  events: LiveEvent[];
  ids: string[];
  close: () => Promise<void>;
}

describe.each(testEngines())("live updates (live.events) on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let admin: { id: string };
  let viewer: { id: string };
  const streams: Stream[] = [];
  const workers: WorkerProcess[] = [];

  async function open(userId: string, lastEventId?: string): Promise<Stream> {
    const controller = new AbortController();
    const context = await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId, scheduler: null });
    const caller = createCaller(context, { signal: controller.signal });
    const iterable = await caller.live.events(lastEventId ? { lastEventId } : {});
    const stream: Stream = { events: [], ids: [], close: async () => undefined };
    const reading = (async () => {
      for await (const envelope of iterable as AsyncIterable<unknown>) {
        // A tracked event travels as [id, data]; the HTTP link turns it into an SSE id and data.
        const [id, data] = envelope as [string, LiveEvent];
        stream.ids.push(id);
        stream.events.push(data);
      }
    })().catch(() => undefined);
    stream.close = async () => {
      controller.abort();
      await reading;
    };
    streams.push(stream);
    // The stream subscribes before its first event is asked for: give it a moment to be listening.
    await new Promise((resolve) => setTimeout(resolve, engine === "postgres" ? 300 : 20));
    return stream;
  }

  async function dueTask(userId: string, key: string) {
    return t.db.task.create({
      data: {
        userId,
        type: "GSC_INSIGHTS",
        dedupeKey: key,
        frequencyMinutes: 1440,
        status: "ACTIVE",
        nextRunAt: new Date(Date.now() - 1000),
      },
    });
  }

  const runsOf = (stream: Stream, taskId: string) =>
    stream.events.filter((e) => (e.kind === "run.started" || e.kind === "run.finished") && e.taskId === taskId);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [alice, bob, admin, viewer] = [
      await createTestUser(t.db),
      await createTestUser(t.db),
      await createTestUser(t.db, "ADMIN"),
      await createTestUser(t.db, "VIEWER"),
    ];
  });
  beforeEach(async () => {
    for (const s of streams.splice(0)) await s.close();
    await t.db.executionLog.deleteMany();
    await t.db.schedulerEvent.deleteMany();
    await t.db.task.deleteMany();
  });
  afterAll(async () => {
    for (const s of streams.splice(0)) await s.close();
    for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
    await liveBusFor(t.db, engine).close();
    await t.drop();
  });

  it("tells the owner and an admin when a run starts and finishes; never another user", async () => {
    const [aliceStream, bobStream, adminStream] = [await open(alice.id), await open(bob.id), await open(admin.id)];
    const task = await dueTask(alice.id, "a");
    const scheduler = new SchedulerEngine({ db: t.db, engine, registry: ok, workerId: "w-live" });
    await scheduler.runCycle();
    await waitFor(async () => runsOf(aliceStream, task.id).length >= 2, 5_000, "alice's events");
    expect(runsOf(aliceStream, task.id).map((e) => e.kind)).toEqual(["run.started", "run.finished"]);
    expect(runsOf(aliceStream, task.id)[1]).toMatchObject({ status: "SUCCESS", userId: alice.id });
    await waitFor(async () => runsOf(adminStream, task.id).length >= 2, 5_000, "the admin's events");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bobStream.events).toEqual([]);
  });

  it("tells a user's other tabs of a change they made; a viewer may listen; nobody signed out", async () => {
    const task = await dueTask(alice.id, "b");
    const [tab, bobStream] = [await open(alice.id), await open(bob.id)];
    await (await callerFor(t, alice.id)).tasks.pause({ taskId: task.id });
    await waitFor(async () => tab.events.some((e) => e.kind === "changed"), 5_000, "the change");
    expect(bobStream.events).toEqual([]);
    const viewerStream = await open(viewer.id);
    expect(viewerStream.events).toEqual([]);
    await expect((await callerFor(t, null)).live.events({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await callerFor(t, alice.id)).live.events({ lastEventId: "x".repeat(101) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("resumes from lastEventId with what was missed; an id it cannot resume from gets a resync", async () => {
    const first = await open(alice.id);
    const bus = liveBusFor(t.db, engine);
    bus.publish([{ kind: "changed", userId: alice.id, taskId: "t1" }]);
    await waitFor(async () => first.ids.length >= 1, 5_000, "the first event");
    await first.close();
    // Bob listens from before the publish (opened after it, a fast NOTIFY could pass him by): his event
    // arriving says the batch has reached this instance's ring.
    const listening = await open(bob.id);
    bus.publish([
      { kind: "changed", userId: alice.id, taskId: "t2" },
      { kind: "changed", userId: bob.id, taskId: "bobs" },
      { kind: "changed", userId: alice.id, taskId: "t3" },
    ]);
    // Published while no stream of alice's was open: replayed from this instance's ring, bob's left out.
    await waitFor(async () => listening.events.length >= 1, 5_000, "bob's event");
    const resumed = await open(alice.id, first.ids[0]);
    await waitFor(async () => resumed.events.length >= 2, 5_000, "the missed events");
    expect(resumed.events.map((e) => (e.kind === "changed" ? e.taskId : e.kind))).toEqual(["t2", "t3"]);
    const lost = await open(alice.id, "another-instance:42");
    await waitFor(async () => lost.events.length >= 1, 5_000, "a resync");
    expect(lost.events[0]).toEqual({ kind: "resync" });
  });

  it.runIf(engine === "postgres")(
    "hears a run recorded by another process (a worker), through LISTEN/NOTIFY, scoped",
    async () => {
      const [aliceStream, bobStream] = [await open(alice.id), await open(bob.id)];
      const task = await dueTask(alice.id, "from-worker");
      const worker = spawnWorker(t.url, { TEST_EXECUTOR_MS: "5", SCHEDULER_POLL_MS: "200" });
      workers.push(worker);
      await waitFor(async () => runsOf(aliceStream, task.id).length >= 2, 30_000, "the worker's run").catch(
        (error: unknown) => {
          throw new Error(`${String(error)}\n${worker.output()}`);
        },
      );
      expect(runsOf(aliceStream, task.id).map((e) => e.kind)).toEqual(["run.started", "run.finished"]);
      worker.kill("SIGTERM");
      await worker.exited;
      expect(bobStream.events).toEqual([]);
    },
    60_000,
  );
});
