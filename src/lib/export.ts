/**
 * The exports of the list pages (execution logs, scheduler events): where they are served and how a
 * page's filter becomes an export's query string. Client-safe: the pages build their links with it, the
 * route handlers read the same names back (`src/server/rest/export.ts`).
 */

export const EXPORT_KINDS = ["execution-logs", "events"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The route handler of each export (`src/app/api/export/{kind}/route.ts`). */
export const EXPORT_PATHS: Record<ExportKind, string> = {
  "execution-logs": "/api/export/execution-logs",
  events: "/api/export/events",
};

/** A filter value as a list page holds it; undefined, null and "" leave the parameter out. */
export type ExportFilterValue = string | number | boolean | Date | readonly string[] | null | undefined;

/**
 * The export's address for a list page's filter: `format`, then each filter field as a query parameter
 * (a date as its ISO instant, so the export covers the same moments the page shows in the viewer's zone;
 * a list as one parameter per value). The route parses it back with the list's own schema.
 */
export function exportHref(
  kind: ExportKind,
  format: ExportFormat,
  filter: Readonly<Record<string, ExportFilterValue>>,
): string {
  const query = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === "") continue;
    if (value instanceof Date) query.append(key, value.toISOString());
    else if (Array.isArray(value)) for (const item of value as readonly string[]) query.append(key, item);
    else query.append(key, String(value));
  }
  return `${EXPORT_PATHS[kind]}?${query.toString()}`;
}

/** The download's file name: `execution-logs-20261130-1405.csv` (the moment in UTC). */
export function exportFileName(kind: ExportKind, format: ExportFormat, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").slice(0, 13).replace("T", "-");
  return `${kind}-${stamp}.${format}`;
}
