import type { z } from "zod";
import type { SavedViewPage } from "@/generated/sqlite/enums";
import { OUTCOME_LABELS, STATUS_LABELS } from "./labels";
import { TYPE_LABELS } from "./task-kinds";
import { jobsInput } from "./validation/dashboard";
import { executionLogsInput } from "./validation/monitoring";

/**
 * Saved views, client-safe part: the pages whose filters live in their URL (Logs, Jobs), which URL
 * parameters each page's filters are, and how a URL's search string becomes a view's `query`. The pages
 * read their URL state with these names (`useUrlState`), the "Save view" form and the navigation compare
 * with them, and `views.save` refuses a query that does not fit (`src/server/services/views.ts`).
 */

interface ViewPageDefinition {
  /** Its name in the navigation. */
  label: string;
  path: string;
  /** The URL parameters of its filters: what a view keeps. */
  params: readonly string[];
  /** A parameter of its URL that is not a filter (Logs' open run): left out of a view, not refused. */
  drawer: string | null;
  /** A value that is the page's default: left out of a view, so the same filter is always the same query. */
  defaults: Readonly<Record<string, string>>;
}

/** Jobs' sort choices as its URL says them (`sort=lastRunAt:desc`); the first is the default. */
export const JOB_SORTS = ["nextRunAt:asc", "lastRunAt:desc", "type:asc", "status:asc"] as const;
export type JobSort = (typeof JOB_SORTS)[number];
export const JOB_SORT_LABELS: Record<JobSort, string> = {
  "nextRunAt:asc": "Next run, soonest",
  "lastRunAt:desc": "Last run, latest",
  "type:asc": "Type",
  "status:asc": "Status",
};

/** Every page a view can open, keyed like Prisma's `SavedViewPage` (a page missing here fails the type check). */
export const VIEW_PAGES = {
  logs: {
    label: "Logs",
    path: "/dashboard/logs",
    params: ["q", "status", "taskType", "trigger", "taskId", "from", "to"],
    drawer: "run",
    defaults: {},
  },
  jobs: {
    label: "Jobs",
    path: "/dashboard/jobs",
    params: ["q", "type", "status", "sort"],
    drawer: null,
    defaults: { sort: JOB_SORTS[0] },
  },
} as const satisfies Record<SavedViewPage, ViewPageDefinition>;
export type ViewPage = keyof typeof VIEW_PAGES;
export const VIEW_PAGE_NAMES = Object.keys(VIEW_PAGES) as [ViewPage, ...ViewPage[]];

/** The most saved views one account keeps. */
export const MAX_SAVED_VIEWS = 50;
export const VIEW_NAME_MAX = 60;
/** The longest `query` a view keeps (a URL's search string; the filters themselves are far shorter). */
export const VIEW_QUERY_MAX = 1000;

const definition = (page: ViewPage): ViewPageDefinition => VIEW_PAGES[page];

/** A view's link: the page with its query. */
export function viewHref(page: ViewPage, query: string): string {
  return query ? `${definition(page).path}?${query}` : definition(page).path;
}

/**
 * The view of a page's current URL state: its filter parameters only (not the open drawer, nothing
 * else), empty values and the page's defaults left out, in the order of their names. Lenient: it does
 * not check the values (`parseViewQuery` does); the pages and the navigation use it to say what is shown.
 */
export function viewQueryOf(page: ViewPage, values: URLSearchParams | Readonly<Record<string, string | undefined>>) {
  const { params, defaults } = definition(page);
  const read = (key: string) => (values instanceof URLSearchParams ? values.get(key) : values[key]);
  const query = new URLSearchParams();
  for (const key of [...params].sort()) {
    const value = read(key);
    if (value && defaults[key] !== value) query.set(key, value);
  }
  return query.toString();
}

export type ParsedViewQuery = { ok: true; query: string } | { ok: false; problem: string };

/**
 * A query string as a view of `page`, checked and normalised (what `views.save` keeps): a leading "?" is
 * allowed, the drawer's parameter (Logs' `run`) is left out, and each value must be one the page's own
 * filter schema takes (`executionLogsInput`, `jobsInput`). A parameter the page does not have, or one
 * given twice, is refused with a sentence rather than dropped: a link that would open something else
 * than what was saved is not saved.
 */
export function parseViewQuery(page: ViewPage, query: string): ParsedViewQuery {
  const { label, params, drawer } = definition(page);
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

/** A view's filter in words ("Status: Failed · Type: Website analysis"), for lists and titles. */
export function describeViewQuery(page: ViewPage, query: string): string {
  const values = new URLSearchParams(query);
  const parts: string[] = [];
  const add = (key: string, text: (value: string) => string) => {
    const value = values.get(key);
    if (value) parts.push(text(value));
  };
  add("q", (v) => `Search: “${v}”`);
  if (page === "logs") {
    add("status", (v) => `Outcome: ${OUTCOME_LABELS[v] ?? v}`);
    add("taskType", (v) => `Type: ${TYPE_LABELS[v] ?? v}`);
    add("trigger", (v) => `Trigger: ${v.toLowerCase()}`);
    add("taskId", () => "One task");
    add("from", (v) => `From ${v}`);
    add("to", (v) => `To ${v}`);
    return parts.join(" · ") || "Every run";
  }
  add("type", (v) => `Type: ${TYPE_LABELS[v] ?? v}`);
  add("status", (v) => `Status: ${STATUS_LABELS[v] ?? v}`);
  add("sort", (v) => `Sorted by ${(JOB_SORT_LABELS[v as JobSort] ?? v).toLowerCase()}`);
  return parts.join(" · ") || "Every current job";
}

function inWords(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
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
