/** Measurements, their percentiles, and the two outputs: bench/results/latest.json and a table. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname } from "node:path";

export interface Measurement {
  name: string;
  unit: string;
  p50?: number;
  p95?: number;
  p99?: number;
  value?: number;
  requestsPerSecond?: number;
  requests?: number;
  errors?: number;
  /** What the figure is divided by, and the quotient (e.g. p99 ÷ the web floor's p99). */
  ratio?: { to: string; value: number; target?: string; met?: boolean };
  note?: string;
}

const round = (n: number) => (n >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

export function percentiles(samples: number[]): { p50: number; p95: number; p99: number } {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function withRatio(
  m: Measurement,
  to: string,
  value: number,
  target?: { max?: number; min?: number; label: string },
): Measurement {
  const v = round(value);
  return {
    ...m,
    ratio: {
      to,
      value: v,
      ...(target
        ? {
            target: target.label,
            met: (target.max === undefined || v <= target.max) && (target.min === undefined || v >= target.min),
          }
        : {}),
    },
  };
}

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function writeResults(file: string, meta: Record<string, unknown>, measurements: Measurement[]) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...meta, machine: machine(), measurements }, null, 2)}\n`);
}

export function table(measurements: Measurement[]): string {
  const rows = measurements.map((m) => [
    m.name,
    m.value !== undefined
      ? `${m.value} ${m.unit}`
      : m.p50 !== undefined
        ? `${m.p50} / ${m.p95} / ${m.p99} ${m.unit}`
        : "",
    m.requestsPerSecond !== undefined ? `${m.requestsPerSecond}/s` : "",
    m.errors ? String(m.errors) : "",
    m.ratio
      ? `${m.ratio.value} × ${m.ratio.to}${m.ratio.target ? ` (target ${m.ratio.target}: ${m.ratio.met ? "met" : "MISSED"})` : ""}`
      : "",
    m.note ?? "",
  ]);
  const header = ["measurement", "value or p50 / p95 / p99", "throughput", "errors", "ratio", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
