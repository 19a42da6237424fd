import type { TaskType } from "@/generated/sqlite/enums";

/**
 * The task-kind catalogue, client-safe part: every kind of task, defined once. Every list of task
 * types, every enum of the API's inputs, every label on a page is derived from here; the server part
 * (`src/server/scheduler/task-kinds.ts`: default schedule, dedupe key, executor, the REST contract's
 * names) is keyed by the same types. Adding a kind: the Prisma enum, its executor, and one entry in
 * each part (README, "Adding a task type"); a test fails while a Prisma `TaskType` has no entry.
 */

/** What a kind of task looks after, for the pages and the API's per-feature views. */
export type TaskCategory = "token" | "insights" | "website" | "system";

interface TaskKind {
  label: string;
  category: TaskCategory;
  /** Shown to people (lists, filters, counts, the API); false for the system's own jobs. */
  visible: boolean;
}

export const TASK_KINDS = {
  OAUTH_TOKEN_MONITORING: { label: "OAuth token monitoring", category: "token", visible: true },
  GSC_INSIGHTS: { label: "Search Console insights", category: "insights", visible: true },
  BING_INSIGHTS: { label: "Bing insights", category: "insights", visible: true },
  WEBSITE_ANALYSIS: { label: "Website analysis", category: "website", visible: true },
  SYSTEM_RETENTION: { label: "Retention", category: "system", visible: false },
  SYSTEM_ALERT_DELIVERY: { label: "Alert delivery", category: "system", visible: false },
} as const satisfies Record<TaskType, TaskKind>;

type Kinds = typeof TASK_KINDS;

/** The task types people see. */
export type VisibleTaskType = { [K in keyof Kinds]: Kinds[K]["visible"] extends true ? K : never }[keyof Kinds];

/** Every task type, in the catalogue's order. */
export const ALL_TASK_TYPES = Object.keys(TASK_KINDS) as TaskType[];

/** The task types people see, in the catalogue's order (a non-empty tuple, for `z.enum`). */
export const VISIBLE_TASK_TYPES = ALL_TASK_TYPES.filter((type) => TASK_KINDS[type].visible) as [
  VisibleTaskType,
  ...VisibleTaskType[],
];

/** The visible task types of one category ("insights": Search Console and Bing). */
export function typesIn(category: TaskCategory): VisibleTaskType[] {
  return VISIBLE_TASK_TYPES.filter((type) => TASK_KINDS[type].category === category);
}

/** Each type's name on the pages. */
export const TYPE_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  ALL_TASK_TYPES.map((type) => [type, TASK_KINDS[type].label]),
);
