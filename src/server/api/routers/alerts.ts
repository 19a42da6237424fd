import {
  channelIdInput,
  deliveriesInput,
  deliveryIdInput,
  inboxInput,
  markReadInput,
  saveChannelInput,
  snoozeInput,
  updateRuleInput,
} from "@/lib/validation/alerts";
import { alertDeliverySettings } from "@/server/config/alert-settings";
import { env } from "@/server/config/env";
import { tokenKeyring } from "@/server/runtime/keyring";
import {
  inbox,
  listChannels,
  listDeliveries,
  listRules,
  markRead,
  removeChannel,
  retryDelivery,
  saveChannel,
  snooze,
  testChannel,
  unreadCount,
  updateRule,
} from "@/server/services/alerts";
import { createTRPCRouter, protectedProcedure, type Context } from "../trpc";

/** Where alerts can go on this installation (the demo's local provider included). */
const settings = (ctx: Pick<Context, "integrations">) =>
  alertDeliverySettings(env(), ctx.integrations?.localProviderUrl ?? null);

/** Alert rules, channels, the inbox and the delivery log: each user's own. */
export const alertsRouter = createTRPCRouter({
  rules: protectedProcedure.query(({ ctx }) => listRules(ctx.db, ctx.scope)),
  updateRule: protectedProcedure
    .input(updateRuleInput)
    .mutation(({ ctx, input }) => updateRule(ctx.db, ctx.scope, input)),
  /** Quiet a rule or a task's alerts until a time (null: now). */
  snooze: protectedProcedure.input(snoozeInput).mutation(({ ctx, input }) => snooze(ctx.db, ctx.scope, input)),
  channels: protectedProcedure.query(({ ctx }) => listChannels(ctx.db, ctx.scope, settings(ctx))),
  /** Creates (answering a webhook's secret, only this once) or edits a channel. */
  saveChannel: protectedProcedure
    .input(saveChannelInput)
    .mutation(({ ctx, input }) => saveChannel(ctx.db, ctx.scope, input, tokenKeyring(), settings(ctx))),
  testChannel: protectedProcedure
    .input(channelIdInput)
    .mutation(({ ctx, input }) => testChannel(ctx.db, ctx.scope, input)),
  removeChannel: protectedProcedure
    .input(channelIdInput)
    .mutation(({ ctx, input }) => removeChannel(ctx.db, ctx.scope, input)),
  inbox: protectedProcedure.input(inboxInput).query(({ ctx, input }) => inbox(ctx.db, ctx.scope, input)),
  unreadCount: protectedProcedure.query(({ ctx }) => unreadCount(ctx.db, ctx.scope)),
  markRead: protectedProcedure.input(markReadInput).mutation(({ ctx, input }) => markRead(ctx.db, ctx.scope, input)),
  deliveries: protectedProcedure
    .input(deliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.scope, input)),
  retryDelivery: protectedProcedure
    .input(deliveryIdInput)
    .mutation(({ ctx, input }) => retryDelivery(ctx.db, ctx.scope, input)),
});
