/**
 * Telling a database that cannot serve (gone, restarting, read-only, out of space) from a bug:
 * the first is the operator's problem and is shown as such (503, the dashboard's banner), the
 * second stays a 500 with its log line.
 */
export type DatabaseTrouble = "read-only" | "out of space" | "disk error" | "unreachable";

const PATTERNS: Array<[DatabaseTrouble, RegExp]> = [
  ["read-only", /read-only transaction|readonly database|SQLITE_READONLY|read[- ]only/i],
  ["out of space", /SQLITE_FULL|database or disk is full|No space left on device|could not extend file|disk full/i],
  ["disk error", /SQLITE_IOERR|disk I\/O error|could not write to file|I\/O error/i],
  [
    "unreachable",
    /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Server has closed the connection|Connection closed|P1001|P1017|57P0[1-3]|timeout exceeded when trying to connect/i,
  ],
];

function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as Error).message ?? (typeof e === "string" ? e : "");
    const code = (e as { code?: unknown }).code;
    messages.push(typeof code === "string" ? `${code} ${message}` : message);
  }
  return messages;
}

/** What is wrong with the database, when the error says it cannot serve; null for other errors. */
export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  const text = messagesOf(error).join("\n");
  for (const [trouble, pattern] of PATTERNS) if (pattern.test(text)) return trouble;
  return null;
}

/** One short line for people: what is wrong with the database, without the driver's stack. */
export function describeDatabaseError(error: unknown): string {
  const lines = messagesOf(error)
    .flatMap((m) => m.split("\n"))
    .map((l) => l.trim())
    .filter(Boolean);
  const trouble = databaseTrouble(error);
  const line =
    (trouble && lines.find((l) => PATTERNS.find(([t]) => t === trouble)![1].test(l))) ??
    lines.at(-1) ??
    "unknown error";
  const text = line.slice(0, 160);
  if (trouble === "read-only") return `read-only: the database accepts no writes (${text})`;
  if (trouble === "out of space") return `out of space: the database accepts no writes (${text})`;
  if (trouble === "disk error") return `disk error: the database cannot write (${text})`;
  return text.slice(0, 200);
}

/** How a person is told about it, after "The database ". */
export function troubleInWords(trouble: DatabaseTrouble): string {
  switch (trouble) {
    case "unreachable":
      return "cannot be reached";
    case "disk error":
      return "cannot write to its disk";
    default:
      return `is ${trouble}`;
  }
}
