"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { OUTCOME_LABELS, TYPE_LABELS } from "@/lib/labels";
import { useTRPC, useTRPCClient } from "@/trpc/react";

type Action = "trigger" | "retry";

/**
 * Manual trigger and retry for buttons: tracks which task/button is busy, follows the run the server
 * started (its execution log id) until it finishes, then toasts that very run's outcome.
 */
export function useRunActions() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Record<string, Action | undefined>>({});
  const setTaskBusy = (taskId: string, action: Action | undefined) => setBusy((b) => ({ ...b, [taskId]: action }));

  async function follow(taskId: string, label: string, logId: number | null) {
    if (logId === null) {
      toast.info(`${label}: queued`, { description: "A worker will start it within a second." });
      return;
    }
    // The run's log, polled until it is no longer RUNNING (at most two minutes).
    for (let waited = 0; waited < 120_000; waited += 1000) {
      const log = await client.monitoring.executionLog.query({ id: logId });
      if (log.status !== "RUNNING") {
        const outcome = OUTCOME_LABELS[log.status] ?? log.status;
        if (log.status === "SUCCESS" || log.status === "SKIPPED") toast.success(`${label}: ${outcome.toLowerCase()}`, { description: `Run #${log.id} took ${log.durationMs ?? 0} ms.` });
        else toast.error(`${label}: ${outcome.toLowerCase()}`, { description: log.errorMessage ?? undefined });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    toast.warning(`${label}: still running`, { description: `Follow run #${logId} on the logs page.` });
    void taskId;
  }

  const settle = () => void queryClient.invalidateQueries();
  const trigger = useMutation(trpc.tasks.manualTrigger.mutationOptions());
  const retry = useMutation(trpc.tasks.retry.mutationOptions());

  async function run(action: Action, task: { id: string; type: string }, options: { resetFailures?: boolean } = {}) {
    const label = `${action === "trigger" ? "Manual run" : "Retry"} of ${TYPE_LABELS[task.type] ?? task.type}`;
    setTaskBusy(task.id, action);
    try {
      const result = action === "trigger" ? await trigger.mutateAsync({ taskId: task.id }) : await retry.mutateAsync({ taskId: task.id, resetFailures: options.resetFailures ?? false });
      settle();
      if (!result.queued) toast.info(`${label}: already running`, { description: "Following the run in flight." });
      await follow(task.id, label, result.executionLogId);
    } catch (error) {
      toast.error(`${label} was refused`, { description: (error as Error).message });
    } finally {
      setTaskBusy(task.id, undefined);
      settle();
    }
  }

  return { busy, run };
}
