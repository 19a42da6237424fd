import { notFound } from "next/navigation";
import { TaskDetail } from "@/components/task-detail";
import { env } from "@/server/env";

export const metadata = { title: "Task" };

export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  if (!env().SCHEDULER_ENABLE_TASKS) notFound();
  return <TaskDetail taskId={(await params).taskId} />;
}
