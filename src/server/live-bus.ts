import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrlOf, hotSql, type Db, type DbEngine } from "./db";
import { logger } from "./logger";
import type { LiveEvent } from "@/lib/live";

/**
 * What changed, pushed to the browsers of the people it concerns (`live.events`). Every process
 * publishes (the engine: a run started or finished; a change made by hand); every web instance
 * listens. On PostgreSQL the events travel through `NOTIFY` on one channel, so a run recorded by a
 * `npm run worker` process reaches a browser connected to any web instance; on SQLite there is one
 * process, and an in-process emitter carries them.
 *
 * Events say what to look at again, not the data: each page reads its rows through its own scoped
 * query, so an event can never show more than the query would.
 */

export const LIVE_CHANNEL = "scheduler_live";
/** NOTIFY's payload limit is 8000 bytes: events are sent in groups well below it. */
const EVENTS_PER_NOTIFY = 40;
/** How many delivered events each instance keeps to replay to a stream that reconnects. */
const REPLAY_SIZE = 1_000;

/** An event as delivered by this instance: its id (`<boot>:<sequence>`) resumes a stream. */
export interface DeliveredEvent {
  id: string;
  seq: number;
  event: LiveEvent;
}

type Listener = (delivered: DeliveredEvent) => void;

export interface LiveBus {
  /** Sends the events to every listening instance (coalesced with others published in the same tick). */
  publish(events: readonly LiveEvent[]): void;
  /** Calls `listener` for every event delivered to this instance from now on; returns the unsubscribe. */
  subscribe(listener: Listener): Promise<() => void>;
  /** The delivered events after `lastEventId`, or null when they are no longer all here (another boot, too old). */
  replayAfter(lastEventId: string): DeliveredEvent[] | null;
  close(): Promise<void>;
}

/** The delivery half both buses share: ids, the replay ring, the local listeners. */
class Delivery {
  readonly boot = randomBytes(4).toString("hex");
  private seq = 0;
  private readonly ring: DeliveredEvent[] = [];
  readonly emitter = new EventEmitter().setMaxListeners(0);

  deliver(events: readonly LiveEvent[]) {
    for (const event of events) {
      const delivered = { id: `${this.boot}:${++this.seq}`, seq: this.seq, event };
      this.ring.push(delivered);
      if (this.ring.length > REPLAY_SIZE) this.ring.shift();
      this.emitter.emit("event", delivered);
    }
  }

  replayAfter(lastEventId: string): DeliveredEvent[] | null {
    const [boot, seqText] = lastEventId.split(":");
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq) || seq > this.seq) return null;
    const first = this.ring[0];
    if (seq < this.seq && (!first || first.seq > seq + 1)) return null; // some were dropped from the ring
    return this.ring.filter((d) => d.seq > seq);
  }

  subscribe(listener: Listener): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }
}

/** One process (SQLite): events go straight to this process's listeners. */
class LocalBus implements LiveBus {
  private readonly delivery = new Delivery();
  private pending: LiveEvent[] = [];

  publish(events: readonly LiveEvent[]) {
    if (events.length === 0) return;
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push(...events);
  }
  private flush() {
    const events = this.pending;
    this.pending = [];
    this.delivery.deliver(events);
  }
  async subscribe(listener: Listener) {
    return this.delivery.subscribe(listener);
  }
  replayAfter(lastEventId: string) {
    return this.delivery.replayAfter(lastEventId);
  }
  async close() {
    this.delivery.emitter.removeAllListeners();
  }
}

/**
 * PostgreSQL: `pg_notify` through the app's pool to publish; one connection per instance LISTENs, opened
 * on the first subscriber and reopened (with a growing pause) when it breaks. Events published while it
 * is down are lost to this instance: its streams say so (`resync`), and the pages read everything again.
 */
class PostgresBus implements LiveBus {
  private readonly delivery = new Delivery();
  private pending: LiveEvent[] = [];
  private listener: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private retryMs = 500;

  constructor(
    private readonly db: Db,
    private readonly url: string,
  ) {}

  publish(events: readonly LiveEvent[]) {
    if (events.length === 0 || this.closed) return;
    if (this.pending.length === 0) setImmediate(() => void this.flush());
    this.pending.push(...events);
  }

  /** Every group of this flush in one statement: one round trip, however many runs just changed. */
  private async flush() {
    const events = this.pending;
    this.pending = [];
    const payloads: string[] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_NOTIFY) {
      payloads.push(JSON.stringify(events.slice(i, i + EVENTS_PER_NOTIFY)));
    }
    try {
      // Straight on the pool: a burst's payloads are megabytes that Prisma's raw path would re-read.
      await hotSql(this.db).runner.$queryRawUnsafe(
        `SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`,
        LIVE_CHANNEL,
        payloads,
      );
    } catch (error) {
      // A lost notification costs a page a refresh at its polling pace, never data.
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, "live: a notify failed");
    }
  }

  async subscribe(listener: Listener) {
    await this.listen();
    return this.delivery.subscribe(listener);
  }

  private listen(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: "scheduler-live" });
      client.on("notification", (message) => {
        if (message.channel !== LIVE_CHANNEL || !message.payload) return;
        try {
          this.delivery.deliver(JSON.parse(message.payload) as LiveEvent[]);
        } catch {
          // not ours to read
        }
      });
      client.on("error", (error) => {
        logger.warn({ err: error.message }, "live: the LISTEN connection broke; reconnecting");
        this.dropListener(client);
      });
      client.on("end", () => this.dropListener(client));
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      this.listener = client;
      this.retryMs = 500;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private dropListener(client: pg.Client) {
    if (this.listener !== client) return;
    this.listener = null;
    client.removeAllListeners("notification");
    void client.end().catch(() => undefined);
    if (this.closed) return;
    // Streams resume through `replayAfter`; what was published meanwhile was not heard: tell them.
    this.delivery.deliver([{ kind: "resync" }]);
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    setTimeout(() => {
      if (this.delivery.emitter.listenerCount("event") > 0)
        this.listen().catch((error: unknown) => {
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, "live: LISTEN failed");
          this.scheduleRetry();
        });
    }, wait).unref();
  }

  private scheduleRetry() {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    setTimeout(() => void this.listen().catch(() => this.scheduleRetry()), wait).unref();
  }

  replayAfter(lastEventId: string) {
    return this.delivery.replayAfter(lastEventId);
  }

  async close() {
    this.closed = true;
    const client = this.listener;
    this.listener = null;
    this.delivery.emitter.removeAllListeners();
    await client?.end().catch(() => undefined);
  }
}

// On globalThis: Next.js bundles the engine (started from instrumentation) apart from the route
// handlers, so a module-level map would give each bundle its own bus and the engine's events would
// never reach the streams. The database client itself is shared the same way (`database()`).
const globalForLive = globalThis as unknown as { __schedulerLiveBuses?: WeakMap<Db, LiveBus> };
const buses = (globalForLive.__schedulerLiveBuses ??= new WeakMap<Db, LiveBus>());

/** The bus of a database client: one per client (per process in the app), made on first use. */
export function liveBusFor(db: Db, engine: DbEngine): LiveBus {
  let bus = buses.get(db);
  if (!bus) {
    const url = engine === "postgres" ? databaseUrlOf(db) : null;
    bus = url ? new PostgresBus(db, url) : new LocalBus();
    buses.set(db, bus);
  }
  return bus;
}
