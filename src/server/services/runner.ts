/**
 * What starts work in this process: the local scheduler engine. Services that make a task due (a
 * trigger, a resume, a new website or connection) take one and wake it themselves, so a due task
 * starts within a second; routers and route handlers only pass it on. Null where no engine runs.
 */
export interface TaskRunner {
  /** Claims and starts this task's run now, returning its execution log id (null if another process will). */
  enqueueNow(taskId: string): Promise<number | null>;
  /** Looks for due tasks now instead of at the next poll. */
  wake(): void;
}
