// First start: writes .env.local with freshly generated development secrets (AUTH_SECRET and
// TOKEN_ENCRYPTION_KEY) unless they are already set in the environment or the file. Keep the file:
// tokens encrypted under its key cannot be read without it. Production should set both explicitly.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, appendFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const file = join(dirname(fileURLToPath(import.meta.url)), "..", ".env.local");
const current = existsSync(file) ? readFileSync(file, "utf8") : "";
const has = (name) => Boolean(process.env[name]) || new RegExp(`^${name}=`, "m").test(current);

const lines = [];
if (!has("AUTH_SECRET")) lines.push(`AUTH_SECRET=${randomBytes(32).toString("base64url")}`);
if (!has("TOKEN_ENCRYPTION_KEY")) lines.push(`TOKEN_ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`);
if (lines.length) {
  appendFileSync(
    file,
    `${current && !current.endsWith("\n") ? "\n" : ""}# generated on first start ${new Date().toISOString()}\n${lines.join("\n")}\n`,
  );
  console.log(`ensure-env: wrote ${lines.map((l) => l.split("=")[0]).join(", ")} to .env.local`);
}
