"use client";

import { api } from "@/trpc/react";

const NORMAL_MS = 15_000;
const WHILE_DOWN_MS = 3_000;

/**
 * A banner over every dashboard page while the database cannot keep changes (down, read-only, out
 * of space) or the server cannot be reached, so nobody mistakes a failing save for their own error.
 * It polls the public health check and checks more often while something is wrong.
 */
export function DatabaseStatus() {
  const health = api.system.health.useQuery(undefined, {
    retry: 1, // one failed request (a connection the database just closed) is not an outage
    refetchInterval: (query) =>
      query.state.status === "error" || query.state.data?.checks.database?.status === "down"
        ? WHILE_DOWN_MS
        : NORMAL_MS,
  });
  const database = health.data?.checks.database;
  let message: string | null = null;
  if (health.isError) {
    // A tRPC error carries the server's answer; without one, the server itself did not answer.
    const answered = (health.error as { data?: { httpStatus?: number } | null }).data?.httpStatus;
    message = answered
      ? `The server cannot check the database right now (${health.error.message}). Changes may not be saved until it recovers.`
      : "The server cannot be reached. What you see may be out of date; changes will not be saved until it is back.";
  } else if (database?.status === "down") {
    message = `The database is not accepting changes (${database.detail ?? "unavailable"}). Pauses, triggers and retries will fail, and scheduled runs wait, until it recovers.`;
  }
  if (!message) return null;
  return (
    <div
      role="alert"
      data-testid="database-status"
      className="border-b border-red-300 bg-red-50 px-4 py-2 text-sm text-red-800 sm:px-6"
    >
      <div className="mx-auto max-w-7xl">
        <strong className="font-semibold">Service degraded. </strong>
        {message}
      </div>
    </div>
  );
}
