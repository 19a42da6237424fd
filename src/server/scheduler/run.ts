/**
 * One run's execution: the executor called under the per-run timeout with an AbortController, and
 * what came back typed as the run's status and as the outcome the task's next state is made from.
 */
import type { ExecutionStatus, TriggerKind } from "@/generated/sqlite/enums";
import type { RunOutcome } from "./task-state";
import type { ClaimedTask, ExecutionOutcome, Executor } from "./types";

export interface RunResult {
  taskId: string;
  status: ExecutionStatus;
  executionLogId: number | null;
}

/** The status of a run that finished (an interrupted one never gets here). */
export type FinishedStatus = Extract<ExecutionStatus, "SUCCESS" | "SKIPPED" | "FAILED" | "TIMED_OUT">;

export interface Invoked {
  outcome: ExecutionOutcome;
  status: FinishedStatus;
}

/**
 * Runs the executor with the per-run timeout. On timeout the controller is aborted (the executor
 * stops its HTTP calls) and the run is a retryable TIMEOUT; a thrown error is an unknown, retryable
 * failure; a missing executor is a configuration error, not retried.
 */
export async function invokeExecutor(
  executor: Executor | undefined,
  task: ClaimedTask,
  options: { controller: AbortController; timeoutMs: number; now: () => Date },
): Promise<Invoked> {
  if (!executor) {
    const outcome: ExecutionOutcome = {
      ok: false,
      category: "CONFIG_ERROR",
      message: `no executor registered for ${task.type}`,
      retryable: false,
    };
    return { outcome, status: "FAILED" };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
  });
  try {
    const result = await Promise.race([
      executor(task, { signal: options.controller.signal, now: options.now }),
      timeout,
    ]);
    if (result === "timeout") {
      options.controller.abort(new Error("timed out"));
      const outcome: ExecutionOutcome = {
        ok: false,
        category: "TIMEOUT",
        message: `timed out after ${options.timeoutMs} ms`,
        retryable: true,
      };
      return { outcome, status: "TIMED_OUT" };
    }
    return { outcome: result, status: result.ok ? (result.skipped ? "SKIPPED" : "SUCCESS") : "FAILED" };
  } catch (error) {
    const outcome: ExecutionOutcome = {
      ok: false,
      category: "UNKNOWN",
      message: (error as Error)?.message || String(error),
      retryable: true,
    };
    return { outcome, status: "FAILED" };
  } finally {
    clearTimeout(timer);
  }
}

/** The run as `nextTaskState` reads it. */
export function runOutcome(
  invoked: Invoked,
  run: { trigger: TriggerKind; startedAt: Date; nextRegularRunAt: Date },
): RunOutcome {
  const { outcome, status } = invoked;
  if (outcome.ok) return { ...run, status: status === "SKIPPED" ? "SKIPPED" : "SUCCESS" };
  return { ...run, status: status === "TIMED_OUT" ? "TIMED_OUT" : "FAILED", failure: outcome };
}
