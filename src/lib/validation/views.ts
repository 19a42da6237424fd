import { z } from "zod";
import {
  inWords,
  JOB_SORTS,
  VIEW_NAME_MAX,
  VIEW_PAGE_NAMES,
  VIEW_QUERY_MAX,
  viewPageDefinition,
  viewQueryOf,
  type ViewPage,
} from "../views";
import { text } from "./common";
import { jobsInput } from "./dashboard";
import { executionLogsInput } from "./monitoring";

export const viewPage = z.enum(VIEW_PAGE_NAMES, { error: `page must be ${VIEW_PAGE_NAMES.join(" or ")}` });

export const viewName = text({ error: "Give the view a name" })
  .trim()
  .min(1, "Give the view a name")
  .max(VIEW_NAME_MAX, `A view's name is at most ${VIEW_NAME_MAX} characters`);

const viewId = text({ error: "id must be a saved view's id" })
  .trim()
  .min(1, "id is required")
  .max(64, "id is too long");

/**
 * A view to save: the page, a name, and the page's URL search string (`status=FAILED&taskType=…`). The
 * query must be one the page takes (`parseViewQuery`: its own parameters and values, nothing else); the
 * service keeps it normalised. The same name on the same page replaces that view's filter.
 */
export const saveViewInput = z
  .object({
    page: viewPage,
    name: viewName,
    query: text({ error: "query must be text" }).max(
      VIEW_QUERY_MAX,
      `A view's filter is at most ${VIEW_QUERY_MAX} characters`,
    ),
  })
  .strict()
  .superRefine((value, ctx) => {
    // Only a known page's text is read (a refinement may run after another field's issue).
    if (!VIEW_PAGE_NAMES.includes(value.page) || typeof value.query !== "string") return;
    const parsed = parseViewQuery(value.page, value.query);
    if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["query"], message: parsed.problem });
  });
export type SaveViewInput = z.infer<typeof saveViewInput>;

export const renameViewInput = z.object({ id: viewId, name: viewName }).strict();
export type RenameViewInput = z.infer<typeof renameViewInput>;

export const viewIdInput = z.object({ id: viewId }).strict();
export type ViewIdInput = z.infer<typeof viewIdInput>;

export type ParsedViewQuery = { ok: true; query: string } | { ok: false; problem: string };

/**
 * A query string as a view of `page`, checked and normalised (what `views.save` keeps): a leading "?" is
 * allowed, the drawer's parameter (Logs' `run`) is left out, and each value must be one the page's own
 * filter schema takes (`executionLogsInput`, `jobsInput`). A parameter the page does not have, or one
 * given twice, is refused with a sentence rather than dropped: a link that would open something else
 * than what was saved is not saved.
 */
export function parseViewQuery(page: ViewPage, query: string): ParsedViewQuery {
  const { label, params, drawer } = viewPageDefinition(page);
  const given = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const values: Record<string, string> = {};
  for (const key of new Set(given.keys())) {
    if (key === drawer) continue;
    if (!params.includes(key)) {
      const name = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      return { ok: false, problem: `${label} has no filter "${name}": its filters are ${inWords(params)}` };
    }
    const filled = given.getAll(key).filter((value) => value !== "");
    if (filled.length > 1) return { ok: false, problem: `The filter ${key} is given more than once` };
    if (filled[0] !== undefined) values[key] = filled[0];
  }
  const problem = page === "logs" ? logsProblem(values) : jobsProblem(values);
  if (problem) return { ok: false, problem };
  const normalised = viewQueryOf(page, values);
  if (normalised.length > VIEW_QUERY_MAX)
    return { ok: false, problem: `A view's filter is at most ${VIEW_QUERY_MAX} characters` };
  return { ok: true, query: normalised };
}

/** A schema's issues as one sentence; zod's own generic messages get the field's name in front. */
function problemOf(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length && /^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message)
        ? `${issue.path.map(String).join(".")}: ${issue.message}`
        : issue.message,
    )
    .join("; ");
}

/** A day as the date fields write it (YYYY-MM-DD), and a real one. */
function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** Logs' URL values through `executionLogsInput`, its days as the page reads them (start and end of the day). */
function logsProblem(values: Readonly<Record<string, string>>): string | null {
  for (const key of ["from", "to"] as const) {
    const value = values[key];
    if (value !== undefined && !isDay(value)) return `The filter ${key} must be a day written YYYY-MM-DD`;
  }
  // Only the order of the two days matters here, so UTC stands in for the viewer's zone.
  const parsed = executionLogsInput.safeParse({
    status: values.status,
    taskType: values.taskType,
    trigger: values.trigger,
    taskId: values.taskId,
    search: values.q,
    from: values.from ? new Date(`${values.from}T00:00:00.000Z`) : undefined,
    to: values.to ? new Date(`${values.to}T23:59:59.999Z`) : undefined,
    limit: 50,
  });
  return parsed.success ? null : problemOf(parsed.error);
}

/** Jobs' URL values through `jobsInput`; its sort must be one the page offers. */
function jobsProblem(values: Readonly<Record<string, string>>): string | null {
  const sort = values.sort ?? JOB_SORTS[0];
  if (!(JOB_SORTS as readonly string[]).includes(sort)) return `The sort must be one of ${inWords(JOB_SORTS)}`;
  const [key, order] = sort.split(":");
  const parsed = jobsInput.safeParse({
    type: values.type,
    status: values.status,
    search: values.q,
    sort: key,
    order,
    limit: 50,
  });
  return parsed.success ? null : problemOf(parsed.error);
}
