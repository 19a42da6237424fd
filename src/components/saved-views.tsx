"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { renameViewInput } from "@/lib/validation/views";
import { describeViewQuery, VIEW_PAGES, viewHref } from "@/lib/views";
import { api, type RouterOutputs } from "@/trpc/react";
import { ReadOnlyNote } from "./read-only-note";
import { ConfirmButton } from "./ui/confirm-button";
import { DataTable, QueryList } from "./ui/table";
import { Time } from "./ui/time";
import { useMe } from "./use-me";

type SavedView = RouterOutputs["views"]["list"][number];

/** Renaming one view in its row: the same schema as `views.rename`, its refusal said under the field. */
function RenameForm({ view, onDone }: { view: SavedView; onDone: () => void }) {
  const utils = api.useUtils();
  const [name, setName] = useState(view.name);
  const [problem, setProblem] = useState<string | null>(null);
  const rename = api.views.rename.useMutation({
    meta: { errorShown: true },
    onError: (error) => setProblem(error.message),
    onSuccess: (result) => {
      if (result.renamed) toast.success(`Renamed to “${result.view.name}”`);
      void utils.views.list.invalidate();
      onDone();
    },
  });
  const problemId = `rename-problem-${view.id}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = renameViewInput.safeParse({ id: view.id, name });
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? "Check the name");
    setProblem(null);
    rename.mutate(parsed.data);
  }

  return (
    <form
      onSubmit={submit}
      onKeyDown={(event) => event.key === "Escape" && onDone()}
      noValidate
      className="flex flex-wrap items-start gap-2"
    >
      <label className="sr-only" htmlFor={`rename-${view.id}`}>
        New name of “{view.name}”
      </label>
      <input
        id={`rename-${view.id}`}
        value={name}
        onChange={(event) => setName(event.target.value)}
        autoFocus
        maxLength={200}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        className="w-56 rounded-md border border-slate-300 px-2 py-1"
      />
      <button
        type="submit"
        disabled={rename.isPending}
        className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-50"
      >
        Save name
      </button>
      <button type="button" onClick={onDone} className="rounded-md border border-slate-300 px-2 py-1 text-xs">
        Cancel
      </button>
      {problem ? (
        <p id={problemId} role="alert" className="basis-full text-red-700">
          {problem}
        </p>
      ) : null}
    </form>
  );
}

/**
 * Saved views (`/dashboard/views`): every view of the caller, a link to it, and (unless read-only)
 * rename and delete. Views are made on Logs and Jobs with "Save view".
 */
export function SavedViews() {
  const utils = api.useUtils();
  const views = api.views.list.useQuery();
  const { canChange } = useMe();
  const [renaming, setRenaming] = useState<string | null>(null);
  const remove = api.views.delete.useMutation({
    onSuccess: () => {
      toast.success("View deleted");
      void utils.views.list.invalidate();
    },
  });
  const items = views.data ?? [];

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Saved views</h1>
        <p className="mt-1 text-sm text-slate-600">
          Named filters of{" "}
          <Link href={VIEW_PAGES.logs.path} className="text-indigo-700 underline">
            Logs
          </Link>{" "}
          and{" "}
          <Link href={VIEW_PAGES.jobs.path} className="text-indigo-700 underline">
            Jobs
          </Link>
          . A view is a link: its address holds the filter, so it can be bookmarked too. Save one with{" "}
          <strong>Save view</strong> next to a page&apos;s filters; it is listed next to that page in the header. Your
          views are yours alone.
        </p>
      </div>
      <ReadOnlyNote cannot="save, rename or delete views" />
      <QueryList
        query={views}
        what="saved views"
        count={items.length}
        empty="No saved views yet: on Logs or Jobs, choose the filters, then Save view."
      >
        <DataTable
          columns={[
            { label: "Page" },
            { label: "Name" },
            { label: "Filter" },
            { label: "Saved" },
            { label: "Actions", hidden: true, when: canChange },
          ]}
        >
          {items.map((view) => (
            <tr key={view.id} data-testid="saved-view">
              <td className="px-3 py-2">{VIEW_PAGES[view.page].label}</td>
              <td className="px-3 py-2">
                {renaming === view.id ? (
                  <RenameForm view={view} onDone={() => setRenaming(null)} />
                ) : (
                  <Link
                    href={viewHref(view.page, view.query)}
                    className="text-indigo-800 underline-offset-2 hover:underline"
                  >
                    {view.name}
                  </Link>
                )}
              </td>
              <td className="px-3 py-2 text-slate-600">{describeViewQuery(view.page, view.query)}</td>
              <td className="whitespace-nowrap px-3 py-2">
                <Time value={view.createdAt} />
              </td>
              {canChange ? (
                <td className="whitespace-nowrap px-3 py-2 text-right">
                  {renaming === view.id ? null : (
                    <span className="inline-flex flex-wrap justify-end gap-2">
                      <button
                        type="button"
                        onClick={() => setRenaming(view.id)}
                        aria-label={`Rename “${view.name}”`}
                        className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                      >
                        Rename
                      </button>
                      <ConfirmButton
                        label="Delete"
                        question={`Delete “${view.name}”?`}
                        onConfirm={() => remove.mutate({ id: view.id })}
                        className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                      />
                    </span>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      </QueryList>
    </div>
  );
}
