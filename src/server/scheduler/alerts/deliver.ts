/**
 * The delivery task (SYSTEM_ALERT_DELIVERY, a kind of the task-kind catalogue): the engine claims and runs
 * it like any task (lease, timeout, recovery of a dead worker's run); it sends what the outbox holds.
 * Each delivery is claimed on its own (status SENDING with a lease), so a worker killed mid-send leaves it to
 * be sent again, with the same id (the webhook-id), once its lease expires. Failures back off; after the last
 * attempt the delivery is FAILED and a person can retry it. The task also sends reminders and daily digests.
 */
import type { Prisma } from "@/generated/sqlite/client";
import { DELIVERY_MAX_ATTEMPTS, ALERT_KIND_NAMES, isAlertKind } from "@/lib/alert-kinds";
import { decryptToken, type TokenKeyring } from "@/server/crypto";
import type { Db } from "@/server/db";
import { IntegrationError } from "@/server/integrations/http";
import { sendMail, type MailSettings } from "@/server/integrations/mail";
import { DEFAULT_WEBHOOK_POLICY, sendWebhook, type WebhookPolicy } from "@/server/integrations/webhook";
import { logger } from "@/server/logger";
import type { Executor } from "../types";
import {
  alertEvent,
  queueDeliveries,
  SYSTEM_ALERT_DELIVERY_KEY,
  SYSTEM_ALERT_DELIVERY_TASK_ID,
  type AlertEvent,
} from "./outbox";
import { mailMessage, slackMessage } from "./render";

export interface AlertDeliverySettings {
  webhookPolicy: WebhookPolicy;
  mail: MailSettings;
  /** Where people open the dashboard: the links in messages. */
  appUrl: string;
  /** How long a claimed delivery is ours before another run may send it again. */
  leaseMs: number;
}

export const DEFAULT_ALERT_DELIVERY_SETTINGS: AlertDeliverySettings = {
  webhookPolicy: DEFAULT_WEBHOOK_POLICY,
  mail: { smtpUrl: null, from: "Scheduler Dashboard <alerts@localhost>", timeoutMs: 10_000 },
  appUrl: "http://localhost:3000",
  leaseMs: 60_000,
};

/** How often the delivery task wakes by itself (retries due, reminders, digests); the outbox wakes it sooner. */
export const DELIVERY_TASK_MINUTES = 5;

/** The pause before attempt n + 1 (n attempts made): 30 s, 2 min, 8 min, 32 min, about 2 h. */
export function deliveryBackoffMs(attempts: number): number {
  return 30_000 * 4 ** Math.max(0, attempts - 1);
}

/** The delivery task's row, created once by whichever process starts first. */
export async function ensureDeliveryTask(db: Db, now: Date) {
  try {
    await db.task.upsert({
      where: { id: SYSTEM_ALERT_DELIVERY_TASK_ID },
      create: {
        id: SYSTEM_ALERT_DELIVERY_TASK_ID,
        userId: null,
        type: "SYSTEM_ALERT_DELIVERY",
        dedupeKey: SYSTEM_ALERT_DELIVERY_KEY,
        frequencyMinutes: DELIVERY_TASK_MINUTES,
        // At once when deliveries wait (queued before the first start, e.g. by the demo seed); else in a while.
        nextRunAt: (await db.alertDelivery.count({ where: { status: "PENDING" } }))
          ? now
          : new Date(now.getTime() + DELIVERY_TASK_MINUTES * 60_000),
      },
      update: {},
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
}

const claimable = (now: Date): Prisma.AlertDeliveryWhereInput => ({
  OR: [
    { status: "PENDING", nextAttemptAt: { lte: now } },
    // A run that died mid-send: its lease ran out, so the message goes again (same id).
    { status: "SENDING", leaseExpiresAt: { lt: now } },
  ],
});

/** Claims up to `limit` due deliveries, one conditional update each (a concurrent claimer gets none twice). */
async function claimDeliveries(db: Db, now: Date, leaseMs: number, limit: number) {
  const due = await db.alertDelivery.findMany({
    where: claimable(now),
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true, status: true, attempts: true, leaseExpiresAt: true },
  });
  const claimed: string[] = [];
  for (const delivery of due) {
    const { count } = await db.alertDelivery.updateMany({
      where: { id: delivery.id, ...claimable(now) },
      data: { status: "SENDING", leaseExpiresAt: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    if (count === 0) continue;
    claimed.push(delivery.id);
    if (delivery.status === "SENDING")
      // The attempt that never reported back: in the log, so the retry is explained.
      await db.alertDeliveryAttempt.create({
        data: {
          deliveryId: delivery.id,
          attemptedAt: delivery.leaseExpiresAt ?? now,
          durationMs: 0,
          ok: false,
          error: "interrupted: the worker stopped before the receiver answered; sent again with the same id",
        },
      });
  }
  return claimed;
}

/** Sends one claimed delivery and records the attempt: delivered, due again after a pause, or failed. */
async function sendOne(db: Db, keyring: TokenKeyring, settings: AlertDeliverySettings, id: string, now: () => Date) {
  const delivery = await db.alertDelivery.findUnique({
    where: { id },
    include: { channel: true },
  });
  if (!delivery) return "gone" as const;
  const event = delivery.payload as unknown as AlertEvent;
  const started = now();
  let statusCode: number | null = null;
  let error: IntegrationError | null = null;
  try {
    const channel = delivery.channel;
    if (channel.kind === "EMAIL") {
      await sendMail(settings.mail, {
        to: channel.email ?? "",
        id: delivery.id,
        ...mailMessage(event, settings.appUrl),
      });
    } else {
      const body = JSON.stringify(channel.kind === "SLACK" ? slackMessage(event, settings.appUrl) : event);
      const response = await sendWebhook({
        url: channel.url ?? "",
        body,
        id: delivery.id,
        sentAt: started,
        secret: channel.secretEnc ? decryptToken(channel.secretEnc, keyring) : null,
        policy: settings.webhookPolicy,
      });
      statusCode = response.status;
    }
  } catch (caught) {
    error =
      caught instanceof IntegrationError
        ? caught
        : new IntegrationError((caught as Error).message ?? String(caught), "UNKNOWN", true);
    statusCode = error.status;
  }
  const finished = now();
  const retry = error !== null && error.retryable && delivery.attempts < DELIVERY_MAX_ATTEMPTS;
  await db.$transaction([
    db.alertDeliveryAttempt.create({
      data: {
        deliveryId: id,
        attemptedAt: started,
        durationMs: finished.getTime() - started.getTime(),
        ok: error === null,
        statusCode,
        error: error?.message.slice(0, 1000) ?? null,
      },
    }),
    db.alertDelivery.update({
      where: { id },
      data: {
        status: error === null ? "DELIVERED" : retry ? "PENDING" : "FAILED",
        leaseExpiresAt: null,
        lastStatusCode: statusCode,
        lastError: error?.message.slice(0, 1000) ?? null,
        deliveredAt: error === null ? finished : null,
        nextAttemptAt: retry
          ? new Date(finished.getTime() + deliveryBackoffMs(delivery.attempts))
          : delivery.nextAttemptAt,
      },
    }),
  ]);
  return error === null ? ("delivered" as const) : retry ? ("retrying" as const) : ("failed" as const);
}

/** Reminders for open episodes whose rule repeats, past its interval and not snoozed. */
async function queueReminders(db: Db, now: Date): Promise<number> {
  const rules = await db.alertRule.findMany({
    where: {
      enabled: true,
      remindEveryMinutes: { not: null },
      kind: { in: ALERT_KIND_NAMES },
      OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }],
    },
    select: {
      userId: true,
      kind: true,
      remindEveryMinutes: true,
      channels: { select: { channel: { select: { id: true, digest: true } } } },
    },
  });
  let queued = 0;
  for (const rule of rules) {
    if (!isAlertKind(rule.kind) || !rule.remindEveryMinutes) continue;
    const before = new Date(now.getTime() - rule.remindEveryMinutes * 60_000);
    const due = await db.alert.findMany({
      where: {
        userId: rule.userId,
        kind: rule.kind,
        resolvedAt: null,
        OR: [{ notifiedAt: { lte: before } }, { notifiedAt: null, createdAt: { lte: before } }],
      },
      take: 100,
    });
    for (const alert of due) {
      await db.$transaction(async (tx) => {
        if (alert.taskId) {
          const task = await tx.task.findUnique({
            where: { id: alert.taskId },
            select: { alertsSnoozedUntil: true, status: true },
          });
          if (task?.alertsSnoozedUntil && task.alertsSnoozedUntil > now) return;
          // Paused or ended by a person: they know; no reminders about it.
          if (task && (task.status === "PAUSED" || task.status === "ENDED")) return;
        }
        // Claimed by moving notifiedAt: a concurrent run reminds once.
        const { count } = await tx.alert.updateMany({
          where: { id: alert.id, notifiedAt: alert.notifiedAt, resolvedAt: null },
          data: { notifiedAt: now },
        });
        if (count === 0) return;
        const ids = await queueDeliveries(
          tx,
          {
            userId: alert.userId,
            alertId: alert.id,
            purpose: "REMINDER",
            event: alertEvent("alert.reminder", alert, now),
            channels: rule.channels.map((c) => c.channel),
          },
          now,
        );
        queued += ids.length;
      });
    }
  }
  return queued;
}

/** A digest e-mail channel's daily message: the alerts of the rules that send to it, since the last one. */
async function queueDigests(db: Db, now: Date): Promise<number> {
  const day = 24 * 60 * 60_000;
  const channels = await db.alertChannel.findMany({
    where: {
      kind: "EMAIL",
      digest: true,
      OR: [{ digestSentAt: null }, { digestSentAt: { lte: new Date(now.getTime() - day) } }],
    },
    select: {
      id: true,
      userId: true,
      digestSentAt: true,
      createdAt: true,
      rules: { select: { rule: { select: { kind: true } } } },
    },
  });
  let queued = 0;
  for (const channel of channels) {
    const since = channel.digestSentAt ?? channel.createdAt;
    if (!channel.digestSentAt && now.getTime() - since.getTime() < day) continue;
    const kinds = channel.rules.map((r) => r.rule.kind);
    const alerts = await db.alert.findMany({
      where: { userId: channel.userId, kind: { in: kinds }, createdAt: { gt: since, lte: now } },
      orderBy: { createdAt: "asc" },
      take: 200,
    });
    await db.$transaction(async (tx) => {
      const { count } = await tx.alertChannel.updateMany({
        where: { id: channel.id, digestSentAt: channel.digestSentAt },
        data: { digestSentAt: now },
      });
      if (count === 0 || alerts.length === 0) return;
      const event: AlertEvent = {
        type: "alert.digest",
        version: 1,
        timestamp: now.toISOString(),
        data: {
          alertId: null,
          kind: "DIGEST",
          severity: alerts.some((a) => a.severity === "ERROR") ? "ERROR" : "WARNING",
          title: `${alerts.length} alert${alerts.length === 1 ? "" : "s"} in the last day`,
          message: alerts
            .map((a) => a.title)
            .join("; ")
            .slice(0, 1000),
          link: "/dashboard/alerts",
          taskId: null,
          connectionId: null,
          raisedAt: now.toISOString(),
          alerts: alerts.map((a) => ({
            title: a.title,
            message: a.message,
            link: a.link ?? "/dashboard/alerts",
            raisedAt: a.createdAt.toISOString(),
            severity: a.severity,
          })),
        },
      };
      queued += (
        await queueDeliveries(
          tx,
          {
            userId: channel.userId,
            alertId: null,
            purpose: "DIGEST",
            event,
            channels: [{ id: channel.id, digest: true }],
          },
          now,
        )
      ).length;
    });
  }
  return queued;
}

/**
 * The delivery task's executor: reminders and digests are queued, then due deliveries are claimed and sent
 * (a few at once) until none is due or the run nears its time limit. It asks to run again when the
 * earliest pending retry is due.
 */
export function alertDeliveryExecutor(
  db: Db,
  keyring: TokenKeyring,
  settings: AlertDeliverySettings = DEFAULT_ALERT_DELIVERY_SETTINGS,
): Executor {
  return async (_task, context) => {
    const started = context.now();
    const budgetMs = 2 * 60_000;
    const reminders = await queueReminders(db, started);
    const digests = await queueDigests(db, started);
    const counts = { delivered: 0, retrying: 0, failed: 0, gone: 0 };
    while (!context.signal.aborted && context.now().getTime() - started.getTime() < budgetMs) {
      const claimed = await claimDeliveries(db, context.now(), settings.leaseMs, 20);
      if (claimed.length === 0) break;
      // Five at a time: a slow receiver does not hold up the others for long.
      for (let i = 0; i < claimed.length; i += 5) {
        const results = await Promise.all(
          claimed.slice(i, i + 5).map((id) =>
            sendOne(db, keyring, settings, id, context.now).catch((error: unknown) => {
              logger.warn({ err: (error as Error).message, deliveryId: id }, "alert delivery could not be recorded");
              return "retrying" as const;
            }),
          ),
        );
        for (const r of results) counts[r]++;
      }
    }
    const next = await db.alertDelivery.findFirst({
      where: { status: { in: ["PENDING", "SENDING"] } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true, leaseExpiresAt: true },
    });
    const runAgainAt = next ? (next.leaseExpiresAt ?? next.nextAttemptAt) : undefined;
    const total = counts.delivered + counts.retrying + counts.failed;
    return {
      ok: true,
      result: { ...counts, remindersQueued: reminders, digestsQueued: digests },
      runAgainAt,
      ...(total === 0 && reminders === 0 && digests === 0 ? { skipped: "nothing to deliver" } : {}),
    };
  };
}
