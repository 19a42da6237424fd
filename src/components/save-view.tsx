"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { saveViewInput } from "@/lib/validation/views";
import { describeViewQuery, VIEW_PAGES, type ViewPage } from "@/lib/views";
import { api } from "@/trpc/react";
import { Dialog } from "./ui/dialog";
import { useMe } from "./use-me";

/**
 * "Save view": names the page's current filter (its URL state, `query`) so it can be opened again from
 * the header. Hidden from read-only viewers. The form checks with the same schema as `views.save`; the
 * same name on the same page replaces that view's filter, which the answer says.
 */
export function SaveView({ page, query }: { page: ViewPage; query: string }) {
  const { canChange } = useMe();
  const [open, setOpen] = useState(false);
  if (!canChange) return null;
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50"
      >
        Save view
      </button>
      {open ? <SaveViewDialog page={page} query={query} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SaveViewDialog({ page, query, onClose }: { page: ViewPage; query: string; onClose: () => void }) {
  const utils = api.useUtils();
  const views = api.views.list.useQuery(undefined, { staleTime: 60_000 });
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const save = api.views.save.useMutation({
    meta: { errorShown: true },
    onError: (error) => setProblem(error.message),
    onSuccess: (result) => {
      toast.success(result.message);
      void utils.views.list.invalidate();
      onClose();
    },
  });
  // Already saved under a name? Said, so a second copy is a choice.
  const same = views.data?.filter((view) => view.page === page && view.query === query) ?? [];
  const replacing = views.data?.find((view) => view.page === page && view.name === name.trim());

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = saveViewInput.safeParse({ page, name, query });
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? "This view cannot be saved");
    setProblem(null);
    save.mutate(parsed.data);
  }

  return (
    <Dialog title={`Save this view of ${VIEW_PAGES[page].label}`} onClose={onClose} testId="save-view">
      <form onSubmit={submit} noValidate className="mt-4 space-y-3 text-sm">
        <p className="text-slate-600">
          Filter: <span className="font-medium text-slate-900">{describeViewQuery(page, query)}</span>
        </p>
        {same.length ? (
          <p className="text-slate-600">Already saved as {same.map((view) => `“${view.name}”`).join(", ")}.</p>
        ) : null}
        <div>
          <label htmlFor="view-name" className="block font-medium text-slate-700">
            Name
          </label>
          <input
            id="view-name"
            name="name"
            data-autofocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. Failed analyses"
            maxLength={200}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? "view-name-problem" : "view-name-hint"}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          />
          {problem ? (
            <p id="view-name-problem" role="alert" className="mt-1 text-red-700">
              {problem}
            </p>
          ) : (
            <p id="view-name-hint" className="mt-1 text-slate-600">
              {replacing
                ? `You have a view named “${replacing.name}” here: saving replaces its filter with this one.`
                : "Saved views are listed in the header’s navigation, next to Logs and Jobs."}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Link href="/dashboard/views" className="text-indigo-700 underline">
            Manage saved views
          </Link>
          <button
            type="submit"
            disabled={save.isPending}
            className="rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
          >
            {replacing ? "Replace view" : "Save"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
