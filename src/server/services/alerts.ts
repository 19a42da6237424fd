/**
 * Alert rules, channels, the inbox and the delivery log: what the `alerts` router serves. Rules and channels
 * are personal (an admin manages their own like anyone else: `ownRows`); alerts and deliveries too.
 */
import { z } from "zod";
import type { Prisma } from "@/generated/sqlite/client";
import { ALERT_KINDS, alertKindsFor, CHANNEL_KINDS } from "@/lib/alert-kinds";
import type {
  SaveChannelInput,
  SnoozeInput,
  UpdateRuleInput,
  deliveriesInput,
  inboxInput,
  markReadInput,
} from "@/lib/validation/alerts";
import { encryptToken, type TokenKeyring } from "@/server/crypto";
import type { Db } from "@/server/db";
import { InvalidInputError, NotFoundError } from "@/server/errors";
import { IntegrationError } from "@/server/integrations/http";
import { mailUnavailable, type MailSettings } from "@/server/integrations/mail";
import { checkWebhookTarget, newWebhookSecret, type WebhookPolicy } from "@/server/integrations/webhook";
import { queueDeliveries, wakeDeliveries, type AlertEvent } from "@/server/scheduler/alerts/outbox";
import { ownRows, type Scope } from "./scope";

/** What the channel services need from the configuration. */
export interface ChannelSettings {
  webhookPolicy: WebhookPolicy;
  mail: MailSettings;
}

/** Channels one user may have. */
export const MAX_CHANNELS = 20;

/** The caller's rules: every kind their role has, with the defaults where they never changed one. */
export async function listRules(db: Db, scope: Scope, now = new Date()) {
  const rows = await db.alertRule.findMany({
    where: ownRows(scope),
    include: { channels: { select: { channelId: true } } },
  });
  const byKind = new Map(rows.map((row) => [row.kind, row]));
  return alertKindsFor(scope.role).map((kind) => {
    const row = byKind.get(kind);
    const threshold = ALERT_KINDS[kind].threshold;
    return {
      kind,
      enabled: row?.enabled ?? true,
      threshold: threshold ? (row?.threshold ?? threshold.default) : null,
      remindEveryMinutes: row?.remindEveryMinutes ?? null,
      snoozedUntil: row?.snoozedUntil && row.snoozedUntil > now ? row.snoozedUntil : null,
      channelIds: row?.channels.map((c) => c.channelId) ?? [],
    };
  });
}

/** Changes one rule (what the input leaves out stays), with an audit entry. */
export async function updateRule(db: Db, scope: Scope, input: UpdateRuleInput) {
  const kind = ALERT_KINDS[input.kind];
  if (kind.adminOnly && scope.role !== "ADMIN") throw new NotFoundError("Alert rule");
  if (input.threshold !== undefined && input.threshold !== null) {
    const t = kind.threshold;
    if (!t) throw new InvalidInputError(`"${kind.label}" takes no number`);
    if (input.threshold < t.min || input.threshold > t.max)
      throw new InvalidInputError(`Enter ${t.unit} from ${t.min} to ${t.max}`);
  }
  return db.$transaction(async (tx) => {
    if (input.channelIds) {
      const ids = [...new Set(input.channelIds)];
      const owned = await tx.alertChannel.count({ where: { id: { in: ids }, ...ownRows(scope) } });
      if (owned !== ids.length) throw new NotFoundError("Channel");
    }
    const data = {
      enabled: input.enabled,
      threshold: input.threshold,
      remindEveryMinutes: input.remindEveryMinutes,
    };
    const rule = await tx.alertRule.upsert({
      where: { userId_kind: { userId: scope.userId, kind: input.kind } },
      create: { userId: scope.userId, kind: input.kind, ...data },
      update: data,
      select: { id: true },
    });
    if (input.channelIds) {
      await tx.alertRuleChannel.deleteMany({ where: { ruleId: rule.id } });
      const ids = [...new Set(input.channelIds)];
      if (ids.length)
        await tx.alertRuleChannel.createMany({ data: ids.map((channelId) => ({ ruleId: rule.id, channelId })) });
    }
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "SET_ALERT_RULE",
        targetType: "AlertRule",
        targetId: rule.id,
        details: { kind: input.kind, ...data, channelIds: input.channelIds } as Prisma.InputJsonValue,
      },
    });
    return { kind: input.kind, changed: true };
  });
}

/** Quiets a rule, or every alert about one task, until a time (null wakes it), with an audit entry. */
export async function snooze(db: Db, scope: Scope, input: SnoozeInput, now = new Date()) {
  if (input.until && input.until <= now) throw new InvalidInputError("Snooze until a time in the future");
  if (input.until && input.until.getTime() - now.getTime() > 90 * 24 * 60 * 60_000)
    throw new InvalidInputError("Snooze for at most 90 days");
  return db.$transaction(async (tx) => {
    let targetType: string;
    let targetId: string;
    if (input.kind) {
      if (ALERT_KINDS[input.kind].adminOnly && scope.role !== "ADMIN") throw new NotFoundError("Alert rule");
      const rule = await tx.alertRule.upsert({
        where: { userId_kind: { userId: scope.userId, kind: input.kind } },
        create: { userId: scope.userId, kind: input.kind, snoozedUntil: input.until },
        update: { snoozedUntil: input.until },
        select: { id: true },
      });
      targetType = "AlertRule";
      targetId = rule.id;
    } else {
      const { count } = await tx.task.updateMany({
        where: { id: input.taskId, ...ownRows(scope) },
        data: { alertsSnoozedUntil: input.until },
      });
      if (count === 0) throw new NotFoundError("Task");
      targetType = "Task";
      targetId = input.taskId!;
    }
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "SNOOZE_ALERTS",
        taskId: input.taskId ?? null,
        targetType,
        targetId,
        details: { kind: input.kind ?? null, until: input.until?.toISOString() ?? null },
      },
    });
    return { until: input.until };
  });
}

/** The caller's channels, without secrets; each says whether it can send here, and why not. */
export async function listChannels(db: Db, scope: Scope, settings: ChannelSettings) {
  const channels = await db.alertChannel.findMany({
    where: ownRows(scope),
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      kind: true,
      name: true,
      url: true,
      email: true,
      digest: true,
      createdAt: true,
      secretEnc: true,
      deliveries: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, createdAt: true } },
    },
  });
  const mail = mailUnavailable(settings.mail);
  return channels.map(({ secretEnc, deliveries, ...channel }) => ({
    ...channel,
    signed: secretEnc !== null,
    unavailable: channel.kind === "EMAIL" ? mail : null,
    lastDelivery: deliveries[0] ?? null,
  }));
}

/** A webhook target the server would refuse, as a message for the form. */
async function refusedUrl(url: string, settings: ChannelSettings): Promise<string | null> {
  try {
    await checkWebhookTarget(url, settings.webhookPolicy);
    return null;
  } catch (error) {
    if (error instanceof IntegrationError) return error.message.replace(/^refused: /, "This URL is refused: ");
    throw error;
  }
}

/**
 * Creates a channel (answering a webhook's signing secret, this once) or edits one (its secret stays).
 * A webhook URL goes through the same guard as the deliveries, so a refused target is refused here.
 */
export async function saveChannel(
  db: Db,
  scope: Scope,
  input: SaveChannelInput,
  keyring: TokenKeyring,
  settings: ChannelSettings,
): Promise<{ id: string; secret?: string }> {
  if (input.url) {
    const refused = await refusedUrl(input.url, settings);
    if (refused) throw new InvalidInputError(refused);
  }
  const fields = {
    name: input.name,
    url: CHANNEL_KINDS[input.kind].target === "url" ? (input.url ?? null) : null,
    email: CHANNEL_KINDS[input.kind].target === "email" ? (input.email ?? null) : null,
    digest: input.kind === "EMAIL" ? (input.digest ?? false) : false,
  };
  return db.$transaction(async (tx) => {
    let id: string;
    let secret: string | undefined;
    if (input.id) {
      const existing = await tx.alertChannel.findFirst({ where: { id: input.id, ...ownRows(scope) } });
      if (!existing) throw new NotFoundError("Channel");
      if (existing.kind !== input.kind)
        throw new InvalidInputError("A channel's kind cannot change: add a new channel instead");
      await tx.alertChannel.update({ where: { id: existing.id }, data: fields });
      id = existing.id;
    } else {
      if ((await tx.alertChannel.count({ where: ownRows(scope) })) >= MAX_CHANNELS)
        throw new InvalidInputError(`You have ${MAX_CHANNELS} channels, the most there can be: remove one first`);
      secret = input.kind === "WEBHOOK" ? newWebhookSecret() : undefined;
      const created = await tx.alertChannel.create({
        data: {
          userId: scope.userId,
          kind: input.kind,
          ...fields,
          secretEnc: secret ? encryptToken(secret, keyring) : null,
        },
        select: { id: true },
      });
      id = created.id;
    }
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "SAVE_ALERT_CHANNEL",
        targetType: "AlertChannel",
        targetId: id,
        details: { kind: input.kind, name: input.name, created: !input.id },
      },
    });
    return secret ? { id, secret } : { id };
  });
}

/** Removes a channel (its deliveries go with it; rules stop sending to it), with an audit entry. */
export async function removeChannel(db: Db, scope: Scope, input: { id: string }) {
  return db.$transaction(async (tx) => {
    const channel = await tx.alertChannel.findFirst({ where: { id: input.id, ...ownRows(scope) } });
    if (!channel) throw new NotFoundError("Channel");
    await tx.alertChannel.delete({ where: { id: channel.id } });
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "REMOVE_ALERT_CHANNEL",
        targetType: "AlertChannel",
        targetId: channel.id,
        details: { kind: channel.kind, name: channel.name },
      },
    });
    return { id: channel.id };
  });
}

/** Sends a test message to a channel through the delivery engine; answers the delivery to watch in the log. */
export async function testChannel(db: Db, scope: Scope, input: { id: string }, now = new Date()) {
  return db.$transaction(async (tx) => {
    const channel = await tx.alertChannel.findFirst({ where: { id: input.id, ...ownRows(scope) } });
    if (!channel) throw new NotFoundError("Channel");
    const event: AlertEvent = {
      type: "alert.test",
      version: 1,
      timestamp: now.toISOString(),
      data: {
        alertId: null,
        kind: "TEST",
        severity: "INFO",
        title: `Test message to "${channel.name}"`,
        message: "This channel works: alerts that your rules send to it arrive like this one.",
        link: "/dashboard/alerts",
        taskId: null,
        connectionId: null,
        raisedAt: now.toISOString(),
      },
    };
    const [deliveryId] = await queueDeliveries(
      tx,
      { userId: scope.userId, alertId: null, purpose: "TEST", event, channels: [{ id: channel.id, digest: false }] },
      now,
    );
    return { deliveryId: deliveryId! };
  });
}

/** The caller's alerts, newest first, and how many are unread. */
export async function inbox(db: Db, scope: Scope, input: z.infer<typeof inboxInput>) {
  const [alerts, unread] = await Promise.all([
    db.alert.findMany({
      where: { ...ownRows(scope), ...(input.unreadOnly ? { readAt: null } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.limit,
      select: {
        id: true,
        kind: true,
        severity: true,
        title: true,
        message: true,
        link: true,
        taskId: true,
        readAt: true,
        resolvedAt: true,
        createdAt: true,
      },
    }),
    unreadCount(db, scope),
  ]);
  return { alerts, unread };
}

/** The bell's number. */
export function unreadCount(db: Db, scope: Scope) {
  return db.alert.count({ where: { ...ownRows(scope), readAt: null } });
}

/** Marks some of the caller's alerts read (an id that is not theirs is NOT_FOUND), or all of them. */
export async function markRead(db: Db, scope: Scope, input: z.infer<typeof markReadInput>, now = new Date()) {
  if (input.all) {
    const { count } = await db.alert.updateMany({ where: { ...ownRows(scope), readAt: null }, data: { readAt: now } });
    return { marked: count };
  }
  const ids = [...new Set(input.ids)];
  const owned = await db.alert.count({ where: { id: { in: ids }, ...ownRows(scope) } });
  if (owned !== ids.length) throw new NotFoundError("Alert");
  const { count } = await db.alert.updateMany({
    where: { id: { in: ids }, ...ownRows(scope), readAt: null },
    data: { readAt: now },
  });
  return { marked: count };
}

/** The delivery log: each delivery with its channel and its attempts, newest first. */
export async function listDeliveries(db: Db, scope: Scope, input: z.infer<typeof deliveriesInput>) {
  const deliveries = await db.alertDelivery.findMany({
    where: { ...ownRows(scope), status: input.status, channelId: input.channelId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit,
    select: {
      id: true,
      purpose: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastStatusCode: true,
      lastError: true,
      deliveredAt: true,
      createdAt: true,
      payload: true,
      channel: { select: { id: true, kind: true, name: true } },
      attemptsLog: {
        orderBy: { attemptedAt: "desc" },
        take: 10,
        select: { id: true, attemptedAt: true, durationMs: true, ok: true, statusCode: true, error: true },
      },
    },
  });
  return deliveries.map(({ payload, ...delivery }) => ({
    ...delivery,
    title: (payload as unknown as AlertEvent).data?.title ?? "",
  }));
}

/** Sends a failed delivery again (a fresh series of attempts, same id), with an audit entry. */
export async function retryDelivery(db: Db, scope: Scope, input: { id: string }, now = new Date()) {
  return db.$transaction(async (tx) => {
    const delivery = await tx.alertDelivery.findFirst({
      where: { id: input.id, ...ownRows(scope) },
      select: { id: true, status: true },
    });
    if (!delivery) throw new NotFoundError("Delivery");
    if (delivery.status !== "FAILED")
      throw new InvalidInputError(
        delivery.status === "DELIVERED" ? "This delivery arrived already" : "This delivery is still being attempted",
      );
    await tx.alertDelivery.update({
      where: { id: delivery.id },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lastError: null },
    });
    await wakeDeliveries(tx, now);
    await tx.auditLog.create({
      data: { actorId: scope.userId, action: "RETRY_DELIVERY", targetType: "AlertDelivery", targetId: delivery.id },
    });
    return { id: delivery.id, status: "PENDING" as const };
  });
}
