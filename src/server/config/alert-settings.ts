import type { AlertsEnv } from "./alerts";

/** The local provider's mail sink (the demo's mailbox) listens on the provider's port + 1. */
export function demoMailSinkUrl(localProviderUrl: string): string {
  return `smtp://127.0.0.1:${Number(new URL(localProviderUrl).port) + 1}`;
}

/**
 * Alert delivery settings from the environment (the delivery task and the channels page read the same).
 * With the local provider running (the demo), e-mail goes to its mail sink unless SMTP_URL says otherwise,
 * and its webhook receiver, and nothing else of it, may be sent to.
 */
export function alertDeliverySettings(e: AlertsEnv & { PORT: number }, localProviderUrl: string | null = null) {
  const local = localProviderUrl ? new URL(localProviderUrl).origin : null;
  return {
    webhookPolicy: {
      allowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
      allowedPrivateUrls: local ? [`${local}/__receiver/webhook`] : [],
      timeoutMs: 10_000,
    },
    mail: {
      smtpUrl: e.SMTP_URL ?? (localProviderUrl ? demoMailSinkUrl(localProviderUrl) : null),
      from: e.MAIL_FROM,
      timeoutMs: 10_000,
    },
    appUrl: e.APP_URL ?? `http://localhost:${e.PORT}`,
    // A send gives up after 10 s: a delivery still claimed 5 s after that was left by a worker that died.
    leaseMs: 15_000,
  };
}
