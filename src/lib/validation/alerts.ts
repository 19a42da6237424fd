import { z } from "zod";
import { ALERT_KIND_NAMES, CHANNEL_KIND_NAMES } from "@/lib/alert-kinds";
import { text } from "./common";
import { taskId } from "./tasks";

const id = (what: string) => text().trim().min(1, `${what} is required`).max(64, `${what} is too long`);
export const channelId = id("The channel id");

const alertKind = z.enum(ALERT_KIND_NAMES, { error: `kind must be one of ${ALERT_KIND_NAMES.join(", ")}` });

const channelName = text().trim().min(1, "Give the channel a name").max(80, "Keep the name within 80 characters");

const channelUrl = text()
  .trim()
  .max(2000, "This URL is too long")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "Enter a full URL, starting with https://");

const channelEmail = text().trim().max(254, "This address is too long").pipe(z.email("Enter an e-mail address"));

/**
 * A new channel (no `id`) or an edit of one. WEBHOOK and SLACK take a URL, EMAIL an address; the webhook's
 * signing secret is made by the server and shown once, in the answer to its creation.
 */
export const saveChannelInput = z
  .object({
    id: channelId.optional(),
    kind: z.enum(CHANNEL_KIND_NAMES, { error: "kind must be WEBHOOK, EMAIL or SLACK" }),
    name: channelName,
    url: channelUrl.optional(),
    email: channelEmail.optional(),
    /** EMAIL: one message a day listing the day's alerts, instead of one per alert. */
    digest: z.boolean({ error: "digest must be true or false" }).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === "EMAIL") {
      if (!input.email) ctx.addIssue({ code: "custom", path: ["email"], message: "Enter the address to write to" });
      if (input.url) ctx.addIssue({ code: "custom", path: ["url"], message: "An e-mail channel takes no URL" });
    } else {
      if (!input.url) ctx.addIssue({ code: "custom", path: ["url"], message: "Enter the URL to send to" });
      if (input.email)
        ctx.addIssue({
          code: "custom",
          path: ["email"],
          message: "A webhook or Slack channel takes no e-mail address",
        });
      if (input.digest) ctx.addIssue({ code: "custom", path: ["digest"], message: "Only e-mail has a daily digest" });
    }
  });
export type SaveChannelInput = z.infer<typeof saveChannelInput>;

export const channelIdInput = z.object({ id: channelId }).strict();

const when = z.coerce.date({ error: "Enter a date and time" });

/** A rule's settings; what is left out stays as it is. */
export const updateRuleInput = z
  .object({
    kind: alertKind,
    enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
    channelIds: z.array(channelId).max(20, "At most 20 channels per rule").optional(),
    threshold: z.number({ error: "Enter a number" }).int("Enter a whole number").nullable().optional(),
    remindEveryMinutes: z
      .number({ error: "Enter the reminder interval in minutes" })
      .int("Enter whole minutes")
      .min(15, "Remind at most every 15 minutes")
      .max(7 * 24 * 60, "Remind at least once a week")
      .nullable()
      .optional(),
  })
  .strict();
export type UpdateRuleInput = z.infer<typeof updateRuleInput>;

/** Quiet a rule, or every alert about one task, until a time (null: wake it now). */
export const snoozeInput = z
  .object({
    kind: alertKind.optional(),
    taskId: taskId.optional(),
    until: when.nullable(),
  })
  .strict()
  .refine((input) => Boolean(input.kind) !== Boolean(input.taskId), {
    message: "Snooze either a rule (kind) or a task (taskId)",
  });
export type SnoozeInput = z.infer<typeof snoozeInput>;

export const inboxInput = z
  .object({
    unreadOnly: z.boolean({ error: "unreadOnly must be true or false" }).default(false),
    limit: z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
  })
  .strict()
  .default({ unreadOnly: false, limit: 50 });

/** Mark some alerts read, or all of them. */
export const markReadInput = z
  .object({
    ids: z.array(id("An alert id")).min(1, "Name at least one alert").max(200, "At most 200 at once").optional(),
    all: z.literal(true, { error: "all must be true" }).optional(),
  })
  .strict()
  .refine((input) => Boolean(input.ids) !== Boolean(input.all), { message: "Give either ids or all: true" });

export const deliveriesInput = z
  .object({
    status: z
      .enum(["PENDING", "SENDING", "DELIVERED", "FAILED"], {
        error: "status must be PENDING, SENDING, DELIVERED or FAILED",
      })
      .optional(),
    channelId: channelId.optional(),
    limit: z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
  })
  .strict()
  .default({ limit: 50 });

export const deliveryIdInput = z.object({ id: id("The delivery id") }).strict();
