"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  Cell,
} from "recharts";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { formatDuration, shortDuration, STATUS_LABELS, TYPE_LABELS } from "@/lib/labels";
import { useZone } from "@/components/ui/time";

interface Bucket {
  bucket: string;
  success: number;
  failed: number;
  other: number;
  successRate: number | null;
  cycles: number | null;
}

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
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart accessibilityLayer={false} data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" tickFormatter={label} fontSize={12} />
          <YAxis yAxisId="runs" allowDecimals={false} fontSize={12} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} unit="%" fontSize={12} />
          <Tooltip
            labelFormatter={(v) => label(String(v))}
            formatter={(value, name) => (name === "Success rate" ? [`${String(value)}%`, name] : [value, name])}
          />
          <Legend />
          <Bar
            yAxisId="runs"
            dataKey="success"
            name="Success"
            stackId="runs"
            fill="#16a34a"
            isAnimationActive={false}
          />
          <Bar yAxisId="runs" dataKey="failed" name="Failed" stackId="runs" fill="#dc2626" isAnimationActive={false} />
          <Bar yAxisId="runs" dataKey="other" name="Other" stackId="runs" fill="#94a3b8" isAnimationActive={false} />
          <Line
            yAxisId="rate"
            dataKey="successRate"
            name="Success rate"
            stroke="#4f46e5"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
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
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ left: 40 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" fontSize={12} tickFormatter={shortDuration} />
          <YAxis type="category" dataKey="type" width={150} fontSize={12} />
          <Tooltip formatter={(value) => formatDuration(Number(value))} />
          <Legend />
          <Bar dataKey="p50" name="p50" fill="#6366f1" isAnimationActive={false} />
          <Bar dataKey="p95" name="p95" fill="#f59e0b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function CyclesChart({ buckets }: { buckets: Bucket[] }) {
  const label = labeller(useZone());
  if (buckets.every((b) => !b.cycles)) return <NoData height="h-48">No check cycles in this period.</NoData>;
  return (
    <div className="h-48 w-full" role="img" aria-label="Check cycles per period">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" tickFormatter={label} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip labelFormatter={(v) => label(String(v))} />
          <Line dataKey="cycles" name="Check cycles" stroke="#0ea5e9" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
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
    .map(([status, n]) => ({ name: `${STATUS_LABELS[status] ?? status} (${n})`, status, n }));
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
      <ResponsiveContainer width="100%" height="100%">
        <PieChart accessibilityLayer={false}>
          <Pie data={data} dataKey="n" nameKey="name" innerRadius={45} outerRadius={75} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.status} fill={STATUS_COLORS[d.status] ?? "#64748b"} />
            ))}
          </Pie>
          <Tooltip />
          <Legend />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}
