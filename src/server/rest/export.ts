import { ZodError, type z } from "zod";
import { EXPORT_FORMATS, exportFileName, type ExportFormat, type ExportKind } from "@/lib/export";
import { eventHistoryInput, executionLogsInput } from "@/lib/validation/monitoring";
import { enforceAccess, zodMessage } from "@/server/api/trpc";
import { databaseTrouble, troubleInWords } from "@/server/db-errors";
import { logger } from "@/server/logger";
import { exportChunks, type ExportRequest } from "@/server/services/export";
import { contextFor, requestUser, type ContextSource, type RequestAuth } from "./facade";
import { errorResponse } from "./http";

/**
 * `GET /api/export/execution-logs` and `GET /api/export/events`: every row of the list's filter as CSV or
 * NDJSON, streamed. The caller is found as the REST facade finds it (session cookie or Bearer API token,
 * `requestUser`) and passes the one access policy as a read (signed out 401, the per-user read limit
 * 429; a viewer may export); the query string is the list's own input (its zod schema), without the
 * page; errors are `{detail}` like the facade's. The body is pulled: a page is read from the database
 * only when the client has taken the previous one, and the walk stops when the client goes away.
 */

export type ExportDeps = RequestAuth &
  ContextSource & {
    /** Rows per query (tests make it small to cross many pages). */
    pageSize?: number;
    /** The moment of the request (the events' `days` count back from it; the file's name). */
    now?: () => Date;
  };

/** The list's input fields that are its page, not its filter: an export has every matching row. */
const PAGE_KEYS = new Set(["limit", "cursor", "offset", "withTotal", "direction"]);

/** Each export's input: the list procedure's own schema (`monitoring.executionLogs`, `monitoring.eventHistory`). */
const SCHEMAS = { "execution-logs": executionLogsInput, events: eventHistoryInput } as const;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson",
};

type Parsed = { ok: true; format: ExportFormat; request: ExportRequest } | { ok: false; detail: string };

/** The base type of a schema under its optional, nullable and default wrappers ("number", "array", …). */
function baseType(schema: z.core.$ZodType): string {
  let def: z.core.$ZodTypeDef & { innerType?: z.core.$ZodType } = schema._zod.def;
  while (def.innerType) def = def.innerType._zod.def;
  return def.type;
}

/**
 * The schema's messages in one sentence (as tRPC says them), a bare phrase ("must be a date") after the
 * name of its parameter.
 */
function detailOf(error: ZodError): string {
  const issues = error.issues.map((issue) =>
    issue.path.length && issue.message.startsWith("must ")
      ? { ...issue, message: `${String(issue.path[0])} ${issue.message}` }
      : issue,
  );
  return zodMessage(new ZodError(issues));
}

/**
 * The query string as the list's input: each parameter its field's type (a number, true/false, a list
 * from repeated or comma-separated values, else the text: dates are the schema's to read), an empty
 * value left out. A page field or a name the filter does not have is refused by name.
 */
export function parseExportQuery(kind: ExportKind, query: URLSearchParams): Parsed {
  const shape: Record<string, z.core.$ZodType> = SCHEMAS[kind].unwrap().shape;
  const filterKeys = Object.keys(shape).filter((key) => !PAGE_KEYS.has(key));
  const format = query.get("format") ?? "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    return { ok: false, detail: `format must be ${EXPORT_FORMATS.join(" or ")}` };
  const input: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (key === "format") continue;
    if (PAGE_KEYS.has(key))
      return { ok: false, detail: `${key} is not an export parameter: an export has every row that matches` };
    if (!filterKeys.includes(key))
      return { ok: false, detail: `Unknown parameter ${key}: this export takes format, ${filterKeys.join(", ")}` };
    const values = query.getAll(key).filter((v) => v !== "");
    if (values.length === 0) continue;
    const type = baseType(shape[key]!);
    if (type === "array") {
      input[key] = values.flatMap((v) => v.split(",")).filter((v) => v !== "");
      continue;
    }
    if (values.length > 1) return { ok: false, detail: `${key} is given more than once` };
    const value = values[0]!;
    input[key] =
      type === "number" && /^-?\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : type === "boolean" && (value === "true" || value === "false")
          ? value === "true"
          : value;
  }
  if (kind === "execution-logs") {
    const parsed = executionLogsInput.safeParse(input);
    return parsed.success
      ? { ok: true, format: format as ExportFormat, request: { kind, filter: parsed.data } }
      : { ok: false, detail: detailOf(parsed.error) };
  }
  const parsed = eventHistoryInput.safeParse(input);
  return parsed.success
    ? { ok: true, format: format as ExportFormat, request: { kind, filter: parsed.data } }
    : { ok: false, detail: detailOf(parsed.error) };
}

/**
 * Text chunks as a byte stream that is pulled: the next chunk (a page from the database) is asked for
 * only when the client has read the previous one (`highWaterMark: 0`), and a client that goes away
 * (`cancel`) ends the generator, so no further page is read.
 */
export function pulledStream(chunks: AsyncGenerator<string>, first: string | null, onError: (e: unknown) => void) {
  const encoder = new TextEncoder();
  let pending = first;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pending !== null) {
          controller.enqueue(encoder.encode(pending));
          pending = null;
          return;
        }
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The caller and what they may see, or the access policy's refusal as the facade answers it. */
async function exportCaller(request: Request, deps: ExportDeps) {
  const { userId, bearer } = await requestUser(request, deps);
  try {
    const ctx = await contextFor(userId, deps);
    // Signed out (or an unknown token): 401 before the query is read. An export is a read.
    const scope = (await enforceAccess(ctx, "user", "query"))!;
    return { ok: true as const, db: ctx.db, scope, bearer };
  } catch (error) {
    return { ok: false as const, response: errorResponse(error, { bearer, path: new URL(request.url).pathname }) };
  }
}

/** An export's answer: 401/429 from the access policy, 400 for a query it cannot read, else the stream. */
export async function handleExport(request: Request, kind: ExportKind, deps: ExportDeps): Promise<Response> {
  const caller = await exportCaller(request, deps);
  if (!caller.ok) return caller.response;
  const parsed = parseExportQuery(kind, new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ detail: parsed.detail }, { status: 400 });

  const path = new URL(request.url).pathname;
  const now = deps.now?.() ?? new Date();
  // A client that goes away aborts the request: the walk stops before its next query.
  const chunks = exportChunks(caller.db, caller.scope, parsed.request, parsed.format, {
    pageSize: deps.pageSize,
    now,
    signal: request.signal,
  });
  // The first page is read before answering, so a database that cannot answer is a 503 `{detail}`, not a
  // download that breaks off at once.
  let first: IteratorResult<string>;
  try {
    first = await chunks.next();
  } catch (error) {
    const trouble = databaseTrouble(error);
    if (trouble)
      return Response.json(
        { detail: `The database ${troubleInWords(trouble)} right now. Try again in a moment.` },
        { status: 503 },
      );
    return errorResponse(error, { bearer: caller.bearer, path });
  }
  const body = pulledStream(chunks, first.done ? null : first.value, (error) =>
    logger.error(
      { path, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
      "export: the walk failed after the answer started",
    ),
  );
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": CONTENT_TYPES[parsed.format],
      "content-disposition": `attachment; filename="${exportFileName(kind, parsed.format, now)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
