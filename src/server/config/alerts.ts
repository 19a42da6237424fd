import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** "host:port" entries, lower-cased; IPv6 hosts in brackets ("[::1]:8080"). */
const hostPortList = optional
  .refine(
    (v) =>
      v === undefined ||
      v
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean)
        .every((entry) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i.test(entry)),
    { message: 'must be a comma-separated list of host:port entries, e.g. "hooks.internal:8443,127.0.0.1:4000"' },
  )
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );

/** Alert delivery: the SMTP server for e-mail, the private webhook targets allowed, the app's public address. */
export const alertsEnvSchema = z.object({
  /** smtp://user:pass@host:587 or smtps://…:465; unset, e-mail channels are shown as unavailable. */
  SMTP_URL: optional.refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
    message: 'must start with "smtp://" or "smtps://"',
  }),
  MAIL_FROM: optional.transform((v) => v ?? "Scheduler Dashboard <alerts@localhost>"),
  /**
   * Webhook targets allowed although they are private (on-premise receivers, tests), over http too; every
   * other target must be a public HTTPS URL. Applies in production too.
   */
  WEBHOOK_ALLOWED_HOSTS: hostPortList,
  /** The address people open the dashboard at, for the links in e-mails and webhooks (default: localhost:PORT). */
  APP_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^/]+/.test(v), {
    message: "must be an http(s) URL, e.g. https://scheduler.example.com",
  }),
});
export type AlertsEnv = z.infer<typeof alertsEnvSchema>;
