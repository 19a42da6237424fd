import {
  bulkActionInput,
  bulkTriggerInput,
  historyInput,
  interventionListInput,
  manualTriggerInput,
  retryInput,
  setGraceInput,
  setPausedInput,
  taskIdInput,
  updateScheduleInput,
  type SetPausedInput,
} from "@/lib/validation/tasks";
import { env } from "@/server/config/env";
import { attentionItems } from "@/server/services/attention";
import { bulkAction } from "@/server/services/bulk";
import { overdueTasks } from "@/server/services/overdue";
import type { Scope } from "@/server/services/scope";
import {
  bulkTrigger,
  interventionSummary,
  listTasks,
  manualTrigger,
  needingIntervention,
  retryTask,
  setGrace,
  setPaused,
  taskHistory,
  updateSchedule,
} from "@/server/services/tasks";
import { createTRPCRouter, protectedProcedure, type Context } from "../trpc";

export const tasksRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listTasks(ctx.db, ctx.scope)),
  /** A page of the tasks needing intervention, worst first (`nextCursor` for the next; `total` on the first). */
  needingIntervention: protectedProcedure
    .input(interventionListInput)
    .query(({ ctx, input }) => needingIntervention(ctx.db, ctx.scope, input)),
  /** Everything that needs the caller (connections to reconnect, then tasks), as the Intervention page lists it. */
  attention: protectedProcedure.query(({ ctx }) => attentionItems(ctx.db, ctx.scope)),
  interventionSummary: protectedProcedure.query(({ ctx }) => interventionSummary(ctx.db, ctx.scope)),
  /** Late and missed runs (the caller's; an admin's cover everyone's), and whether any worker is alive. */
  overdue: protectedProcedure.query(({ ctx }) => overdueTasks(ctx.db, ctx.scope)),
  manualTrigger: protectedProcedure
    .input(manualTriggerInput)
    .mutation(({ ctx, input }) => manualTrigger(ctx.db, ctx.scope, input, ctx.scheduler)),
  retry: protectedProcedure
    .input(retryInput)
    .mutation(({ ctx, input }) => retryTask(ctx.db, ctx.scope, input, ctx.scheduler)),
  bulkTrigger: protectedProcedure
    .input(bulkTriggerInput)
    .mutation(({ ctx, input }) => bulkTrigger(ctx.db, ctx.scope, input, ctx.scheduler)),
  /**
   * Pause, resume, run now or retry every job Jobs' filter and search match: a preview count first,
   * then a chunk per call (the page shows progress), one audit entry per job, at most BULK_ACTION_MAX_TASKS.
   */
  bulkAction: protectedProcedure
    .input(bulkActionInput)
    .mutation(({ ctx, input }) => bulkAction(ctx.db, ctx.scope, input, env().BULK_ACTION_MAX_TASKS, ctx.scheduler)),
  /** How late the task's run may start before it counts as late (null: the default). */
  setGrace: protectedProcedure.input(setGraceInput).mutation(({ ctx, input }) => setGrace(ctx.db, ctx.scope, input)),
  /** The task's schedule: an interval in minutes, or a cron expression in an IANA time zone. */
  updateSchedule: protectedProcedure
    .input(updateScheduleInput)
    .mutation(({ ctx, input }) => updateSchedule(ctx.db, ctx.scope, input, ctx.scheduler)),
  setPaused: protectedProcedure.input(setPausedInput).mutation(({ ctx, input }) => pauseOrResume(ctx, input)),
  pause: protectedProcedure
    .input(taskIdInput)
    .mutation(({ ctx, input }) => pauseOrResume(ctx, { taskId: input.taskId, paused: true })),
  resume: protectedProcedure
    .input(taskIdInput)
    .mutation(({ ctx, input }) => pauseOrResume(ctx, { taskId: input.taskId, paused: false })),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => taskHistory(ctx.db, ctx.scope, input)),
});

function pauseOrResume(ctx: Pick<Context, "db" | "scheduler"> & { scope: Scope }, input: SetPausedInput) {
  return setPaused(ctx.db, ctx.scope, input, ctx.scheduler);
}
