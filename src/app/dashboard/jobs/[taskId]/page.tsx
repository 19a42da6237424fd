import { notFound } from "next/navigation";
import { TaskDetail } from "@/components/task-detail";
import { features } from "@/server/config/env";
import { auth } from "@/server/auth";
import { api, getQueryClient, HydrateClient } from "@/trpc/server";

export const metadata = { title: "Task" };

/** Codes that mean "no such task of yours": the page answers 404, like any other unknown address. */
const UNKNOWN = new Set(["NOT_FOUND", "BAD_REQUEST"]);

export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  if (!features().tasks) notFound();
  const { taskId } = await params;
  // Awaited, so the page renders with its data and a missing (or another user's) task is a real 404.
  if ((await auth())?.user) {
    await api.tasks.history.prefetch({ taskId, limit: 50 });
    const failed = getQueryClient()
      .getQueryCache()
      .findAll({ queryKey: [["tasks", "history"]] })
      .some((query) => UNKNOWN.has((query.state.error as { code?: string } | null)?.code ?? ""));
    if (failed) notFound();
  }
  return (
    <HydrateClient>
      <TaskDetail taskId={taskId} />
    </HydrateClient>
  );
}
