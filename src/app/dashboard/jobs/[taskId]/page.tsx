import { notFound } from "next/navigation";
import { TaskDetail } from "@/components/task-detail";
import { features } from "@/server/config/env";

export const metadata = { title: "Task" };

export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  if (!features().tasks) notFound();
  return <TaskDetail taskId={(await params).taskId} />;
}
