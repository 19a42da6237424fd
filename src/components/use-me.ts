"use client";

import { api } from "@/trpc/react";

/** The signed-in user; `canChange` is false for read-only viewers, whose pages show no mutation buttons. */
export function useMe() {
  const me = api.system.me.useQuery(undefined, { staleTime: 60_000 });
  return {
    me: me.data ?? null,
    canChange: me.data ? me.data.role !== "VIEWER" : false,
    isAdmin: me.data?.role === "ADMIN",
  };
}
