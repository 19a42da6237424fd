/** The overview charts' ranges, and the one a URL asks for (`?range=24h`; 7 days by default). Free of zod. */
export const CHART_RANGES = ["24h", "7d", "30d"] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

/** The page prefetches on the server with the same range the browser reads, so both render the same. */
export function rangeOf(value: string | undefined): ChartRange {
  return CHART_RANGES.find((r) => r === value) ?? "7d";
}
