"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";
import { LIVE_COALESCE_MS } from "@/lib/live";
import { liveState, setLiveConnected, subscribeLiveStatus } from "@/trpc/live-status";
import { api } from "@/trpc/react";

/**
 * Keeps every open page current from `live.events`: each event (a run started or finished, a change
 * made in another tab, "read everything again") refreshes the queries on screen, one refresh at a
 * time, the events of a burst answered together. While the stream is down the pages poll at their own
 * pace, and the link reconnects and resumes from the last event it had. Shows whether updates are live.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient();
  const refresh = useRef<{ timer: ReturnType<typeof setTimeout> | null; running: boolean; again: boolean }>({
    timer: null,
    running: false,
    again: false,
  });

  const schedule = () => {
    const r = refresh.current;
    if (r.running) {
      r.again = true;
      return;
    }
    if (r.timer) return;
    r.timer = setTimeout(() => {
      r.timer = null;
      r.running = true;
      // Active queries refetch now; the others are marked stale and refetch when shown.
      void queryClient.invalidateQueries().finally(() => {
        r.running = false;
        if (r.again) {
          r.again = false;
          schedule();
        }
      });
    }, LIVE_COALESCE_MS);
  };

  const subscription = api.live.events.useSubscription(
    {},
    {
      onStarted: () => setLiveConnected(true),
      onData: () => schedule(),
      onError: () => setLiveConnected(false),
    },
  );
  const up = subscription.status === "pending";
  const wasUp = useRef(false);
  useEffect(() => {
    setLiveConnected(up);
    // Back from a gap: what changed meanwhile is read once.
    if (up && wasUp.current) schedule();
    if (up) wasUp.current = true;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- schedule only reads refs and the stable client
  }, [up]);
  // A stream refused by the server (a rate limit, a restart) is not retried by the link: try again in a while.
  const { status, reset } = subscription;
  useEffect(() => {
    if (status !== "error") return;
    const timer = setTimeout(reset, 15_000);
    return () => clearTimeout(timer);
  }, [status, reset]);
  useEffect(() => () => setLiveConnected(false), []);

  const state = useSyncExternalStore(subscribeLiveStatus, liveState, () => "connecting" as const);
  const live = state === "live";
  return (
    <p
      role="status"
      data-testid="live-status"
      data-live={live ? "true" : "false"}
      className="fixed bottom-3 left-3 z-40 flex items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2.5 py-1 text-xs text-slate-700 shadow-sm"
      title={
        live
          ? "This page updates as runs start and finish"
          : "Live updates are reconnecting; the page refreshes itself every few seconds meanwhile"
      }
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "bg-amber-500"}`} />
      {live ? "Live" : state === "reconnecting" ? "Reconnecting…" : "Connecting…"}
    </p>
  );
}
