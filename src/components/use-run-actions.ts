"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { OUTCOME_LABELS, TYPE_LABELS } from "@/lib/labels";
import { targetName } from "@/lib/states";
import { api } from "@/trpc/react";

type Action = "trigger" | "retry" | "check";

interface Started {
  queued: boolean;
  executionLogId: number | null;
}

/**
 * Buttons that start a run (manual trigger, retry, a token check): tracks which one is busy, follows
 * the run the server started (its execution log id) until it finishes, then toasts that very run's
 * outcome. Every error ends in a toast; none is left uncaught.
 */
export function useRunActions() {
  const { client } = api.useUtils();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Record<string, Action | undefined>>({});
  const setKeyBusy = (key: string, action: Action | undefined) => setBusy((b) => ({ ...b, [key]: action }));

  async function follow(label: string, logId: number | null) {
    if (logId === null) {
      toast.info(`${label}: queued`, { description: "A worker will start it within a second." });
      return;
    }
    // The run's log, polled until it is no longer RUNNING (at most two minutes).
    for (let waited = 0; waited < 120_000; waited += 1000) {
      const log = await client.monitoring.executionLog.query({ id: logId });
      if (log.status !== "RUNNING") {
        const outcome =
          (log.result as { outcome?: string } | null)?.outcome?.replace(/_/g, " ") ??
          (OUTCOME_LABELS[log.status] ?? log.status).toLowerCase();
        if (log.status === "SUCCESS" || log.status === "SKIPPED")
          toast.success(`${label}: ${outcome}`, { description: `Run #${log.id} took ${log.durationMs ?? 0} ms.` });
        else toast.error(`${label}: ${outcome}`, { description: log.errorMessage ?? undefined });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    toast.warning(`${label}: still running`, { description: `Follow run #${logId} on the logs page.` });
  }

  const settle = () => void queryClient.invalidateQueries();
  const quiet = { meta: { errorShown: true } };
  const trigger = api.tasks.manualTrigger.useMutation(quiet);
  const retry = api.tasks.retry.useMutation(quiet);
  const check = api.platform.refreshToken.useMutation(quiet);

  async function start(key: string, action: Action, label: string, request: () => Promise<Started>) {
    setKeyBusy(key, action);
    try {
      const result = await request();
      settle();
      if (!result.queued) toast.info(`${label}: already running`, { description: "Following the run in flight." });
      await follow(label, result.executionLogId);
    } catch (error) {
      toast.error(`${label} was refused`, { description: (error as Error).message });
    } finally {
      setKeyBusy(key, undefined);
      settle();
    }
  }

  /** Manual trigger or retry of a task (keyed by the task's id). */
  function run(
    action: "trigger" | "retry",
    task: { id: string; type: string; websiteUrl?: string | null; platform?: string | null; target?: string | null },
    options: { resetFailures?: boolean } = {},
  ) {
    const target = task.websiteUrl ?? task.platform ?? task.target;
    const label = `${action === "trigger" ? "Manual run" : "Retry"} of ${TYPE_LABELS[task.type] ?? task.type}${target ? ` (${targetName(target)})` : ""}`;
    return start(task.id, action, label, () =>
      action === "trigger"
        ? trigger.mutateAsync({ taskId: task.id })
        : retry.mutateAsync({ taskId: task.id, resetFailures: options.resetFailures ?? false }),
    );
  }

  /** A token check of a platform now (keyed by the platform). */
  function checkToken(platform: "GSC" | "BING" | "WORDPRESS" | "WIX", name: string) {
    return start(platform, "check", `${name} token check`, () => check.mutateAsync({ platform }));
  }

  return { busy, run, checkToken };
}
