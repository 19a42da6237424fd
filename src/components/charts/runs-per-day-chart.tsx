"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface RunsPerDayPoint {
  day: string;
  success: number;
  failed: number;
  other: number;
}

/** Runs per day, stacked: successes and failures (timed-out counts as failed). */
export function RunsPerDayChart({ data }: { data: RunsPerDayPoint[] }) {
  return (
    <div className="h-72 w-full" role="img" aria-label="Runs per day, successes and failures">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          <Bar dataKey="success" name="Success" stackId="runs" fill="#16a34a" isAnimationActive={false} />
          <Bar dataKey="failed" name="Failed" stackId="runs" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
