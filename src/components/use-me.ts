"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

/** The signed-in user; `canChange` is false for read-only viewers, whose pages show no mutation buttons. */
export function useMe() {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.system.me.queryOptions(), staleTime: 60_000 });
  return {
    me: me.data ?? null,
    canChange: me.data ? me.data.role !== "VIEWER" : false,
    isAdmin: me.data?.role === "ADMIN",
  };
}
