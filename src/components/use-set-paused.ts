"use client";

import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { toast } from "sonner";
import type { SetPausedInput } from "@/lib/validation/tasks";
import { api, type RouterOutputs } from "@/trpc/react";

type JobsPage = RouterOutputs["dashboard"]["jobs"];

/**
 * Pause/resume that shows the new state at once and puts the old one back if the server refuses
 * (read-only account, rate limit, task gone), then re-reads the truth either way.
 */
export function useSetPaused() {
  const queryClient = useQueryClient();
  // Every page of every Jobs list (any filter), whatever its input.
  const jobsKey = getQueryKey(api.dashboard.jobs);

  return api.tasks.setPaused.useMutation({
    onMutate: async ({ taskId, paused }: SetPausedInput) => {
      await queryClient.cancelQueries({ queryKey: jobsKey });
      const before = queryClient.getQueriesData<InfiniteData<JobsPage>>({ queryKey: jobsKey });
      queryClient.setQueriesData<InfiniteData<JobsPage>>(
        { queryKey: jobsKey },
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.map((job) =>
                job.id === taskId ? { ...job, paused, status: paused ? "PAUSED" : "ACTIVE" } : job,
              ),
            })),
          },
      );
      return { before };
    },
    onError: (error, { paused }, context) => {
      for (const [key, data] of context?.before ?? []) queryClient.setQueryData(key, data);
      toast.error(paused ? "The task was not paused" : "The task was not resumed", { description: error.message });
    },
    onSuccess: (_result, { paused }) => toast.success(paused ? "Paused" : "Resumed"),
    onSettled: () => queryClient.invalidateQueries(),
  });
}
