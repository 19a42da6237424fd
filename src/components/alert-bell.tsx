"use client";

import Link from "next/link";
import { api } from "@/trpc/react";
import { pollEvery } from "@/trpc/query-client";

/** The header's bell: the unread alerts' count, a link to the inbox. */
export function AlertBell() {
  const unread = api.alerts.unreadCount.useQuery(undefined, { refetchInterval: pollEvery(30_000) });
  const count = unread.data ?? 0;
  return (
    <Link
      href="/dashboard/alerts"
      aria-label={count ? `Alerts: ${count} unread` : "Alerts: none unread"}
      className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      data-testid="alert-bell"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        width="20"
        height="20"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count ? (
        <span
          className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white"
          data-testid="alert-bell-count"
        >
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </Link>
  );
}
