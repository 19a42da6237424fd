/** The table every list page shows, and the states it stands in for: one look, one set of accessibility rules. */
import { Empty, ErrorState, Loading } from "./query-state";

export interface Column {
  label: string;
  /** Numbers read right-aligned. */
  numeric?: boolean;
  /** Heard by screen readers, not shown (an actions column). */
  hidden?: boolean;
  /** Shown only when true (a column for admins, one for those who may change things). */
  when?: boolean;
}

/** A bordered, horizontally scrolling table with a header row of `columns`; the rows are the children. */
export function DataTable({
  columns,
  children,
  className = "",
}: {
  columns: Column[];
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={`relative overflow-x-auto rounded-lg border border-slate-200 bg-white ${className}`}>
      {/* On a phone the columns do not fit: say that the rest is to the side. */}
      <p className="sticky left-0 px-3 pt-2 text-xs text-slate-500 sm:hidden" aria-hidden="true">
        Scroll sideways for more columns →
      </p>
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            {columns
              .filter((c) => c.when !== false)
              .map((c) => (
                <th key={c.label} scope="col" className={`px-3 py-2 font-medium ${c.numeric ? "text-right" : ""}`}>
                  {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
                </th>
              ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

interface ListQuery {
  isPending: boolean;
  isError: boolean;
  error: { message: string } | null;
  refetch: () => unknown;
}

/**
 * A list's loading, error and empty states, the same on every page; the children render only once
 * there is something to show. `what` completes "Loading …".
 */
export function QueryList({
  query,
  what,
  count,
  empty,
  children,
}: {
  query: ListQuery;
  what: string;
  count: number;
  empty: React.ReactNode;
  children: React.ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError)
    return <ErrorState message={query.error?.message ?? "Something went wrong"} onRetry={() => void query.refetch()} />;
  if (count === 0) return <Empty>{empty}</Empty>;
  return <>{children}</>;
}
