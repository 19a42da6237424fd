"use client";

/**
 * The overview's charts: each one's frame (its size, its description for screen readers, or what it
 * shows instead of empty axes) renders with the page, on the server too; the drawing inside comes from
 * `overview-drawings.tsx`, loaded in the browser only once the page is up, so the route's first load
 * carries no charting library and the cards paint first.
 */
import dynamic from "next/dynamic";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { STATUS_LABELS, TYPE_LABELS } from "@/lib/labels";
import { useZone } from "@/components/ui/time";

export interface Bucket {
  bucket: string;
  success: number;
  failed: number;
  other: number;
  successRate: number | null;
  cycles: number | null;
}

const drawings = () => import("./overview-drawings");
const RunsDrawing = dynamic(() => drawings().then((m) => m.RunsDrawing), { ssr: false });
const DurationDrawing = dynamic(() => drawings().then((m) => m.DurationDrawing), { ssr: false });
const CyclesDrawing = dynamic(() => drawings().then((m) => m.CyclesDrawing), { ssr: false });
const StatusDrawing = dynamic(() => drawings().then((m) => m.StatusDrawing), { ssr: false });

/** What a chart shows instead of empty axes. */
function NoData({ height, children }: { height: string; children: React.ReactNode }) {
  return (
    <div
      className={`flex ${height} w-full items-center justify-center rounded border border-dashed border-slate-300 px-4 text-center text-sm text-slate-600`}
      data-testid="chart-empty"
    >
      {children}
    </div>
  );
}

/**
 * A bucket's label: an hour ("2026-11-30T22", UTC) in the viewer's zone ("23:00"); a day of the
 * daily rollup as the UTC day it is ("11-30": the panels that show days say "UTC days").
 */
function labeller(zone: string) {
  return (bucket: string) =>
    bucket.length > 10 ? format(new TZDate(new Date(`${bucket}:00:00Z`), zone), "HH:00") : bucket.slice(5);
}

export function RunsChart({ buckets }: { buckets: Bucket[] }) {
  const label = labeller(useZone());
  if (buckets.every((b) => b.success + b.failed + b.other === 0))
    return <NoData height="h-72">No runs yet in this period.</NoData>;
  return (
    <div className="h-72 w-full" role="img" aria-label="Runs per period stacked by outcome, with the success rate">
      <RunsDrawing buckets={buckets} label={label} />
    </div>
  );
}

export function DurationChart({
  durations,
}: {
  durations: { type: string; runs: number; p50: number | null; p95: number | null }[];
}) {
  const measured = durations.filter((d) => d.runs > 0);
  if (measured.length === 0) return <NoData height="h-64">No finished runs yet in this period.</NoData>;
  const data = measured.map((d) => ({ type: TYPE_LABELS[d.type] ?? d.type, p50: d.p50 ?? 0, p95: d.p95 ?? 0 }));
  return (
    <div className="h-64 w-full" role="img" aria-label="Run duration p50 and p95 by task type, in milliseconds">
      <DurationDrawing data={data} />
    </div>
  );
}

export function CyclesChart({ buckets }: { buckets: Bucket[] }) {
  const label = labeller(useZone());
  if (buckets.every((b) => !b.cycles)) return <NoData height="h-48">No check cycles in this period.</NoData>;
  return (
    <div className="h-48 w-full" role="img" aria-label="Check cycles per period">
      <CyclesDrawing buckets={buckets} label={label} />
    </div>
  );
}

const STATUS_COLORS: Record<string, string> = {
  ACTIVE: "#16a34a",
  PAUSED: "#94a3b8",
  FAILED: "#dc2626",
  NEEDS_INTERVENTION: "#f59e0b",
};

export function StatusChart({ byStatus }: { byStatus: Record<string, number> }) {
  // The counts are in the legend ("Active (6)"): labels around a small donut collide with it.
  const data = Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => ({
      name: `${STATUS_LABELS[status] ?? status} (${n})`,
      status,
      n,
      color: STATUS_COLORS[status] ?? "#64748b",
    }));
  if (data.length === 0)
    return (
      <NoData height="h-56">No tasks yet: connect a platform or add a website, and their tasks appear here.</NoData>
    );
  return (
    <div
      className="h-56 w-full"
      role="img"
      aria-label={`Job status distribution: ${data.map((d) => `${d.n} ${(STATUS_LABELS[d.status] ?? d.status).toLowerCase()}`).join(", ")}`}
    >
      <StatusDrawing data={data} />
    </div>
  );
}
