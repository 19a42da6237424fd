"use client";

/**
 * The overview's charts as recharts draws them. Loaded only in the browser, after the page has painted
 * and hydrated (`overview-charts.tsx` imports this lazily): recharts is the largest library of the
 * route, and what the server could render of a chart before the browser measures its width is nothing.
 */
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
import { formatDuration, shortDuration } from "@/lib/labels";
import type { Bucket } from "./overview-charts";

export function RunsDrawing({ buckets, label }: { buckets: Bucket[]; label: (bucket: string) => string }) {
  return (
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
        <Bar yAxisId="runs" dataKey="success" name="Success" stackId="runs" fill="#16a34a" isAnimationActive={false} />
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
  );
}

export function DurationDrawing({ data }: { data: { type: string; p50: number; p95: number }[] }) {
  return (
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
  );
}

export function CyclesDrawing({ buckets, label }: { buckets: Bucket[]; label: (bucket: string) => string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart accessibilityLayer={false} data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={label} fontSize={12} />
        <YAxis allowDecimals={false} fontSize={12} />
        <Tooltip labelFormatter={(v) => label(String(v))} />
        <Line dataKey="cycles" name="Check cycles" stroke="#0ea5e9" dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function StatusDrawing({ data }: { data: { name: string; status: string; n: number; color: string }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <PieChart accessibilityLayer={false}>
        <Pie data={data} dataKey="n" nameKey="name" innerRadius={45} outerRadius={75} isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.status} fill={d.color} />
          ))}
        </Pie>
        <Tooltip />
        <Legend />
      </PieChart>
    </ResponsiveContainer>
  );
}
