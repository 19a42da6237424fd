import { EXPORT_FORMATS, exportHref, type ExportFilterValue, type ExportKind } from "@/lib/export";

const FORMAT_LABELS = { csv: "CSV", ndjson: "NDJSON" } as const;

/**
 * "Export: CSV · NDJSON": plain download links to the export of what the list shows (its current
 * filter, every matching row, not only the loaded pages). A read, so viewers have it too.
 */
export function ExportLinks({
  kind,
  filter,
  what,
}: {
  kind: ExportKind;
  filter: Readonly<Record<string, ExportFilterValue>>;
  /** What is exported, for the group's name ("these runs"). */
  what: string;
}) {
  return (
    <div role="group" aria-label={`Export ${what}`} className="flex items-center gap-2 text-sm" data-testid="export">
      <span className="text-slate-600" aria-hidden="true">
        Export
      </span>
      {EXPORT_FORMATS.map((format) => (
        <a
          key={format}
          href={exportHref(kind, format, filter)}
          download
          title={`Download ${what} as ${FORMAT_LABELS[format]}: every row of these filters`}
          className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50"
        >
          {FORMAT_LABELS[format]}
          <span className="sr-only"> of {what}</span>
        </a>
      ))}
    </div>
  );
}
