import nodemailer from "nodemailer";
import { IntegrationError } from "./http";

export interface MailSettings {
  /** smtp(s)://…; null: e-mail is not configured (SMTP_URL unset). */
  smtpUrl: string | null;
  from: string;
  timeoutMs: number;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The Message-ID's local part: a retried delivery sends the same Message-ID. */
  id: string;
}

/** Why e-mail cannot be sent here, in words for the channels page; null when it can. */
export function mailUnavailable(settings: MailSettings): string | null {
  return settings.smtpUrl
    ? null
    : "E-mail is not set up on this server: an administrator sets SMTP_URL (and MAIL_FROM) to send it.";
}

/** Sends one message through the configured SMTP server; a failure is an IntegrationError, retryable when it may pass. */
export async function sendMail(settings: MailSettings, mail: Mail): Promise<{ response: string }> {
  const unavailable = mailUnavailable(settings);
  if (unavailable) throw new IntegrationError(unavailable, "CONFIG_ERROR", false);
  const transport = nodemailer.createTransport(settings.smtpUrl!, {
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? "localhost";
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.id}@${domain}>`,
    });
    return { response: info.response };
  } catch (error) {
    const e = error as { responseCode?: number; code?: string; message: string };
    // A 5xx answer (no such mailbox, refused) will not pass by retrying; a connection problem may.
    const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
    throw new IntegrationError(
      `the mail server ${e.responseCode ? `answered ${e.responseCode}: ` : ""}${e.message.slice(0, 300)}`,
      e.code === "EAUTH" ? "AUTH_ERROR" : permanent ? "CONFIG_ERROR" : "NETWORK_ERROR",
      !permanent && e.code !== "EAUTH",
      e.responseCode ?? null,
    );
  } finally {
    transport.close();
  }
}
