import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import he from "he";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";

/**
 * The demo's alert receivers: a webhook endpoint that verifies the Standard Webhooks signature as a user's
 * receiver would, and a mail sink (an SMTP server) standing in for a mailbox; a page lists what both got.
 * The demo seed's channels point here. Kept in memory: they show what arrived since the server started.
 */

/** The demo webhook channel's signing secret (the seed creates the channel with it; a demo, never production). */
export const DEMO_WEBHOOK_SECRET = `whsec_${Buffer.from("scheduler-dashboard-demo-webhook!").toString("base64")}`;

interface ReceivedHook {
  id: string;
  receivedAt: string;
  verified: boolean;
  error: string | null;
  type: string;
  title: string;
}
interface ReceivedMail {
  messageId: string;
  receivedAt: string;
  to: string;
  subject: string;
  text: string;
}

export class AlertReceiver {
  /** The secrets the webhook endpoint verifies with: the demo's, and any a test registers (a user's new channel). */
  secrets = new Set<string>([DEMO_WEBHOOK_SECRET]);
  webhooks: ReceivedHook[] = [];
  mails: ReceivedMail[] = [];
  private sink: SMTPServer | null = null;

  /** Starts the mail sink on 127.0.0.1:port; answers its smtp:// URL (null when the port is taken). */
  async startMailSink(port: number): Promise<string | null> {
    const sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.mails.unshift({
              messageId: mail.messageId ?? "",
              receivedAt: new Date().toISOString(),
              to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? ""),
              subject: mail.subject ?? "",
              text: mail.text ?? "",
            });
            this.mails.length = Math.min(this.mails.length, 200);
            callback();
          })
          .catch(callback);
      },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        sink.server.once("error", reject);
        sink.listen(port, "127.0.0.1", resolve);
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") return null;
      throw error;
    }
    this.sink = sink;
    return `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    const sink = this.sink;
    return sink ? new Promise((resolve) => sink.close(() => resolve())) : Promise.resolve();
  }

  /** Serves /__receiver/*: the webhook endpoint, the page, and JSON of both lists. False for other paths. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (!path.startsWith("/__receiver/")) return false;
    if (path === "/__receiver/webhook" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      let error: string | null = null;
      let event: { type?: string; data?: { title?: string } } = {};
      for (const secret of this.secrets) {
        try {
          event = new Webhook(secret).verify(body, req.headers as Record<string, string>) as typeof event;
          verified = true;
          error = null;
          break;
        } catch (e) {
          error = (e as Error).message;
        }
      }
      this.webhooks.unshift({
        id: String(req.headers["webhook-id"] ?? ""),
        receivedAt: new Date().toISOString(),
        verified,
        error,
        type: event.type ?? "",
        title: event.data?.title ?? "",
      });
      this.webhooks.length = Math.min(this.webhooks.length, 200);
      // As a receiver should: a message that does not verify is refused.
      res.writeHead(verified ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(verified ? { received: true } : { error }));
      return true;
    }
    // A test registers the secret a new channel was shown, as a user would configure their receiver.
    if (path === "/__receiver/secrets" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const secret = (JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { secret?: string }).secret;
      if (!secret?.startsWith("whsec_")) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "send {secret: 'whsec_…'}" }));
        return true;
      }
      this.secrets.add(secret);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ secrets: this.secrets.size }));
      return true;
    }
    if (path === "/__receiver/webhooks.json" || path === "/__receiver/mail.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(path.endsWith("webhooks.json") ? this.webhooks : this.mails));
      return true;
    }
    if (path === "/__receiver/" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(this.page());
      return true;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return true;
  }

  private page(): string {
    const e = (s: string) => he.escape(s);
    const hooks = this.webhooks
      .map(
        (h) =>
          `<tr><td>${e(h.receivedAt)}</td><td><code>${e(h.id)}</code></td><td>${e(h.type)}</td><td>${e(h.title)}</td><td>${h.verified ? "signature verified" : `refused: ${e(h.error ?? "")}`}</td></tr>`,
      )
      .join("");
    const mails = this.mails
      .map(
        (m) =>
          `<tr><td>${e(m.receivedAt)}</td><td>${e(m.to)}</td><td>${e(m.subject)}</td><td><pre>${e(m.text)}</pre></td></tr>`,
      )
      .join("");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo alert receiver</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2937}table{border-collapse:collapse;width:100%;margin-bottom:2rem}td,th{border-bottom:1px solid #e5e7eb;padding:.4rem;text-align:left;vertical-align:top;font-size:14px}pre{white-space:pre-wrap;margin:0}</style></head>
<body><h1>Demo alert receiver</h1><p>What the demo's alert channels delivered since the server started (newest first). Reload to update.</p>
<h2>Webhooks (${this.webhooks.length})</h2><table><thead><tr><th>Received</th><th>webhook-id</th><th>Type</th><th>Title</th><th>Check</th></tr></thead><tbody>${hooks || '<tr><td colspan="5">None yet.</td></tr>'}</tbody></table>
<h2>E-mail (${this.mails.length})</h2><table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>Text</th></tr></thead><tbody>${mails || '<tr><td colspan="4">None yet.</td></tr>'}</tbody></table></body></html>`;
  }
}
