// Types for postgres.mjs, which the tests import.
export interface Cluster {
  url: string;
  port: number;
  start(): void;
  stop(mode?: "smart" | "fast" | "immediate"): boolean;
  remove(): void;
}
export function canConnect(url: string): Promise<boolean>;
export function startCluster(): Promise<Cluster | null>;
export function startThrowawayCluster(cleanups: Array<() => void>): Promise<string | null>;
export function findPostgres(cleanups: Array<() => void>): Promise<{ url: string | null; how: string }>;
