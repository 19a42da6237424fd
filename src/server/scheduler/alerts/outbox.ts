/**
 * The alert outbox: an alert and its deliveries are written in the transaction of the event that raised
 * them (a run's record, a connection marked expired, a late task noticed), so neither is lost nor sent
 * for something that was rolled back. The delivery task (deliver.ts) sends them afterwards.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/sqlite/client";
import type { AlertChannelKind } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import { ALERT_KINDS, type AlertKindName } from "@/lib/alert-kinds";

type Tx = Prisma.TransactionClient | Db;

export const SYSTEM_ALERT_DELIVERY_TASK_ID = "system-alert-delivery";
export const SYSTEM_ALERT_DELIVERY_KEY = "system:alert-delivery";

/** What happened, to what, and where to fix it: one alert. */
export interface AlertSpec {
  userId: string;
  kind: AlertKindName;
  /** One alert per episode: a second raise with the same key (by anyone) is nothing. */
  episodeKey: string;
  title: string;
  message: string;
  /** The page that fixes it (a local path). */
  link: string;
  taskId?: string | null;
  connectionId?: string | null;
}

/** The message every channel renders, stored with each delivery (a stable schema: version 1). */
export interface AlertEvent {
  type: "alert.raised" | "alert.reminder" | "alert.recovered" | "alert.test" | "alert.digest";
  version: 1;
  timestamp: string;
  data: {
    alertId: string | null;
    kind: string;
    severity: "INFO" | "WARNING" | "ERROR";
    title: string;
    message: string;
    /** A local path; the channels make it absolute with APP_URL. */
    link: string;
    taskId: string | null;
    connectionId: string | null;
    raisedAt: string;
    /** alert.digest: the alerts it lists. */
    alerts?: { title: string; message: string; link: string; raisedAt: string; severity: string }[];
  };
}

/** A delivery's id, which is also its webhook-id: receivers de-duplicate retries by it. */
export function newDeliveryId(): string {
  return `msg_${randomUUID().replaceAll("-", "")}`;
}

/** A rule as it applies: the user's row, or the kind's defaults (on, in-app only). */
export interface EffectiveRule {
  enabled: boolean;
  threshold: number | null;
  remindEveryMinutes: number | null;
  snoozedUntil: Date | null;
  channels: { id: string; kind: AlertChannelKind; digest: boolean }[];
}

export async function effectiveRule(tx: Tx, userId: string, kind: AlertKindName): Promise<EffectiveRule> {
  const row = await tx.alertRule.findUnique({
    where: { userId_kind: { userId, kind } },
    select: {
      enabled: true,
      threshold: true,
      remindEveryMinutes: true,
      snoozedUntil: true,
      channels: { select: { channel: { select: { id: true, kind: true, digest: true } } } },
    },
  });
  const threshold: number | null = ALERT_KINDS[kind].threshold?.default ?? null;
  if (!row) return { enabled: true, threshold, remindEveryMinutes: null, snoozedUntil: null, channels: [] };
  return {
    enabled: row.enabled,
    threshold: row.threshold ?? threshold,
    remindEveryMinutes: row.remindEveryMinutes,
    snoozedUntil: row.snoozedUntil,
    channels: row.channels.map((c) => c.channel),
  };
}

/** The delivery task runs at once (it otherwise wakes every few minutes for retries and reminders). */
export async function wakeDeliveries(tx: Tx, now: Date) {
  await tx.task.updateMany({
    where: { id: SYSTEM_ALERT_DELIVERY_TASK_ID, status: "ACTIVE", nextRunAt: { gt: now } },
    data: { nextRunAt: now },
  });
}

/** Deliveries of one event to channels (a digest e-mail channel gets it in its daily message instead). */
export async function queueDeliveries(
  tx: Tx,
  delivery: {
    userId: string;
    alertId: string | null;
    purpose: "RAISED" | "REMINDER" | "RECOVERED" | "TEST" | "DIGEST";
    event: AlertEvent;
    channels: { id: string; digest: boolean }[];
  },
  now: Date,
): Promise<string[]> {
  const channels =
    delivery.purpose === "TEST" || delivery.purpose === "DIGEST"
      ? delivery.channels
      : delivery.channels.filter((c) => !c.digest);
  if (channels.length === 0) return [];
  const rows = channels.map((channel) => ({
    id: newDeliveryId(),
    userId: delivery.userId,
    alertId: delivery.alertId,
    channelId: channel.id,
    purpose: delivery.purpose,
    payload: delivery.event as unknown as Prisma.InputJsonValue,
    nextAttemptAt: now,
    createdAt: now,
  }));
  await tx.alertDelivery.createMany({ data: rows });
  await wakeDeliveries(tx, now);
  return rows.map((r) => r.id);
}

/** Whether the rule or the task is snoozed at `now` (the alert still shows in-app, nothing is sent). */
async function snoozed(tx: Tx, rule: EffectiveRule, taskId: string | null | undefined, now: Date) {
  if (rule.snoozedUntil && rule.snoozedUntil > now) return true;
  if (!taskId) return false;
  const task = await tx.task.findUnique({ where: { id: taskId }, select: { alertsSnoozedUntil: true } });
  return Boolean(task?.alertsSnoozedUntil && task.alertsSnoozedUntil > now);
}

export function alertEvent(
  type: AlertEvent["type"],
  alert: {
    id: string | null;
    kind: string;
    severity: AlertEvent["data"]["severity"];
    title: string;
    message: string;
    link: string | null;
    taskId: string | null;
    connectionId: string | null;
    createdAt: Date;
  },
  now: Date,
): AlertEvent {
  return {
    type,
    version: 1,
    timestamp: now.toISOString(),
    data: {
      alertId: alert.id,
      kind: alert.kind,
      severity: alert.severity,
      title: alert.title,
      message: alert.message,
      link: alert.link ?? "/dashboard/alerts",
      taskId: alert.taskId,
      connectionId: alert.connectionId,
      raisedAt: alert.createdAt.toISOString(),
    },
  };
}

/**
 * Raises one alert for an episode, with its deliveries, in the caller's transaction. Nothing when the
 * user's rule for the kind is off, or the episode already has its alert. A snoozed rule or task records
 * the alert in-app only. Answers the alert's id, or null.
 */
export async function raiseAlert(tx: Tx, spec: AlertSpec, now: Date): Promise<string | null> {
  const rule = await effectiveRule(tx, spec.userId, spec.kind);
  if (!rule.enabled) return null;
  const existing = await tx.alert.findUnique({
    where: { userId_episodeKey: { userId: spec.userId, episodeKey: spec.episodeKey } },
    select: { id: true },
  });
  if (existing) return null;
  const kind = ALERT_KINDS[spec.kind];
  const quiet = await snoozed(tx, rule, spec.taskId, now);
  const alert = await tx.alert.create({
    data: {
      userId: spec.userId,
      kind: spec.kind,
      episodeKey: spec.episodeKey,
      severity: kind.severity,
      title: spec.title.slice(0, 200),
      message: spec.message.slice(0, 2000),
      link: spec.link,
      taskId: spec.taskId ?? null,
      connectionId: spec.connectionId ?? null,
      // A one-off event has nothing to clear; an episode stays open until its condition does.
      resolvedAt: kind.episodic ? null : now,
      notifiedAt: quiet ? null : now,
      createdAt: now,
    },
  });
  if (!quiet)
    await queueDeliveries(
      tx,
      {
        userId: spec.userId,
        alertId: alert.id,
        purpose: "RAISED",
        event: alertEvent("alert.raised", alert, now),
        channels: rule.channels,
      },
      now,
    );
  return alert.id;
}

/**
 * Closes the open episodes that match (the task ran again, the connection was reconnected), and tells the
 * user through the "problem cleared" rule: one notice per closed alert. Answers how many it closed.
 */
export async function resolveAlerts(
  tx: Tx,
  where: {
    id?: string;
    userId?: string;
    taskId?: string | { in: string[] };
    connectionId?: string;
    kinds: AlertKindName[];
  },
  notice: (alert: { title: string; kind: string }) => { title: string; message: string },
  now: Date,
): Promise<number> {
  const open = await tx.alert.findMany({
    where: {
      id: where.id,
      userId: where.userId,
      taskId: where.taskId,
      connectionId: where.connectionId,
      kind: { in: where.kinds },
      resolvedAt: null,
    },
    select: { id: true, userId: true, kind: true, title: true, taskId: true, connectionId: true, link: true },
  });
  let closed = 0;
  for (const alert of open) {
    // Another instance may close it at the same moment: only the one that closes it sends the notice.
    const { count } = await tx.alert.updateMany({
      where: { id: alert.id, resolvedAt: null },
      data: { resolvedAt: now },
    });
    if (count === 0) continue;
    closed++;
    const text = notice(alert);
    await raiseAlert(
      tx,
      {
        userId: alert.userId,
        kind: "TASK_RECOVERED",
        episodeKey: `recovered:${alert.id}`,
        title: text.title,
        message: text.message,
        link: alert.link ?? "/dashboard/alerts",
        taskId: alert.taskId,
        connectionId: alert.connectionId,
      },
      now,
    );
  }
  return closed;
}
