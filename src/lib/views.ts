import type { SavedViewPage } from "@/generated/sqlite/enums";
import { OUTCOME_LABELS, STATUS_LABELS } from "./labels";
import { TYPE_LABELS } from "./task-kinds";

/**
 * Saved views, client-safe part (no zod, so the navigation on every page stays light): the pages whose
 * filters live in their URL (Logs, Jobs), which URL parameters each page's filters are, and how a URL's
 * search string becomes a view's `query`. The pages read their URL state with these names
 * (`useUrlState`), the "Save view" form and the navigation compare with them; `parseViewQuery`
 * (`validation/views.ts`) checks a query against the pages' filter schemas before `views.save` keeps it.
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

/** A page's definition, widened (its parameters as strings), for code that reads any page. */
export const viewPageDefinition = (page: ViewPage): ViewPageDefinition => VIEW_PAGES[page];

/** A view's link: the page with its query. */
export function viewHref(page: ViewPage, query: string): string {
  return query ? `${viewPageDefinition(page).path}?${query}` : viewPageDefinition(page).path;
}

/**
 * The view of a page's current URL state: its filter parameters only (not the open drawer, nothing
 * else), empty values and the page's defaults left out, in the order of their names. Lenient: it does
 * not check the values (`parseViewQuery` does); the pages and the navigation use it to say what is shown.
 */
export function viewQueryOf(page: ViewPage, values: URLSearchParams | Readonly<Record<string, string | undefined>>) {
  const { params, defaults } = viewPageDefinition(page);
  const read = (key: string) => (values instanceof URLSearchParams ? values.get(key) : values[key]);
  const query = new URLSearchParams();
  for (const key of [...params].sort()) {
    const value = read(key);
    if (value && defaults[key] !== value) query.set(key, value);
  }
  return query.toString();
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

export function inWords(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
}
