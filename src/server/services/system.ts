import { hostname } from "node:os";
import type { Db, DbEngine } from "@/server/db";
import { features, type Env } from "@/server/config/env";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import { refreshMetrics } from "@/server/metrics";
import { refreshOverdueGauges } from "./overdue";
import { databaseTrouble, describeDatabaseError } from "@/server/db-errors";
import { WORKER_ALIVE_MS } from "@/server/config/scheduler";
import packageJson from "../../../package.json";

/** Public: what this instance is. Nothing user-specific. */
export function systemStatus(e: Env, engine: DbEngine, scheduler: SchedulerEngine | null) {
  return {
    name: "scheduler-dashboard",
    version: packageJson.version,
    environment: e.NODE_ENV,
    database: engine,
    engineMode: scheduler
      ? scheduler.kind === "web"
        ? "in-process"
        : "worker"
      : e.SCHEDULER_ENABLED
        ? "starting"
        : "off (separate workers)",
    features: features(e),
  };
}

const SLOW_MS = 1000;
/** How many times health tries past connections the server closed (the pool holds up to 10). */
const STALE_CONNECTION_ATTEMPTS = 5;
const PROBE_INSTANCE = `${hostname()}:${process.pid}`;

/** Public: database, scheduler heartbeat and routers; `degraded` when a check fails or is slow. */
export async function systemHealth(db: Db, e: Env, scheduler: SchedulerEngine | null, now = new Date()) {
  const checks: Record<string, { status: "ok" | "degraded" | "down" | "off"; detail?: string; latencyMs?: number }> =
    {};
  const started = Date.now();
  const probe = async () => {
    await db.$queryRawUnsafe("SELECT 1");
    // Reads alone do not prove the database can keep anything: a full disk or a read-only database
    // still answers SELECT 1. Every instance writes its own probe row.
    await db.healthProbe.upsert({
      where: { instance: PROBE_INSTANCE },
      create: { instance: PROBE_INSTANCE, checkedAt: now },
      update: { checkedAt: now },
    });
  };
  try {
    // A pooled connection the server has since closed (restart, failover) fails once and leaves the pool;
    // several idle ones may have been closed together, so try again while that is the trouble, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await probe();
        break;
      } catch (error) {
        if (attempt >= STALE_CONNECTION_ATTEMPTS || databaseTrouble(error) !== "unreachable") throw error;
      }
    }
    const latencyMs = Date.now() - started;
    checks.database = {
      status: latencyMs > SLOW_MS ? "degraded" : "ok",
      latencyMs,
      ...(latencyMs > SLOW_MS ? { detail: `slow: ${latencyMs} ms` } : {}),
    };
  } catch (error) {
    checks.database = { status: "down", detail: describeDatabaseError(error) };
  }
  if (checks.database.status !== "down") {
    const lastSeen = await db.worker.findFirst({
      where: { stoppedAt: null },
      orderBy: { lastSeenAt: "desc" },
      select: { lastSeenAt: true },
    });
    const age = lastSeen ? now.getTime() - lastSeen.lastSeenAt.getTime() : null;
    checks.scheduler =
      scheduler?.state === "running" || (age !== null && age < WORKER_ALIVE_MS)
        ? {
            status: "ok",
            detail: age === null ? "running in this process" : `last heartbeat ${Math.round(age / 1000)} s ago`,
          }
        : {
            status: "degraded",
            detail: age === null ? "no worker has ever run" : `no live worker for ${Math.round(age / 1000)} s`,
          };
  }
  for (const [router, on] of Object.entries(features(e))) checks[`router:${router}`] = { status: on ? "ok" : "off" };
  const values = Object.values(checks).map((c) => c.status);
  const status = values.includes("down") ? "down" : values.includes("degraded") ? "degraded" : "ok";
  return { status, checks, checkedAt: now };
}

// Secrets by name; a setting about tokens (TOKEN_CHECK_INTERVAL_DAYS, TOKEN_REFRESH_WITHIN_DAYS) is not one.
const SECRET = /SECRET|PASSWORD|KEY|TOKEN(?!_(CHECK|REFRESH)_)/i;

/** Admin: the effective configuration, secrets redacted (and the database password). */
export function effectiveConfig(e: Env) {
  return Object.fromEntries(
    Object.entries(e)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => {
        if (value === undefined) return [key, null];
        if (SECRET.test(key)) return [key, "[redacted]"];
        if (key === "DATABASE_URL" && typeof value === "string")
          return [key, value.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:[redacted]@")];
        return [key, value];
      }),
  );
}

/** The registry with every database-backed gauge read, late and missed runs included. */
export async function refreshAllMetrics(db: Db) {
  const [registry] = await Promise.all([refreshMetrics(db), refreshOverdueGauges(db)]);
  return registry;
}

/** The Prometheus numbers as JSON. */
export async function metricsJson(db: Db) {
  const registry = await refreshAllMetrics(db);
  return registry.getMetricsAsJSON();
}

/** The /api/health answer: 200 while the instance can serve (ok or degraded), 503 when the database is down. */
export async function healthResponse(db: Db, e: Env, scheduler: SchedulerEngine | null): Promise<Response> {
  const health = await systemHealth(db, e, scheduler);
  return Response.json(health, { status: health.status === "down" ? 503 : 200 });
}
