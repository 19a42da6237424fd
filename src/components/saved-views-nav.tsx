"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { describeViewQuery, VIEW_PAGES, viewHref, viewQueryOf, type ViewPage } from "@/lib/views";
import { api, type RouterOutputs } from "@/trpc/react";

type SavedView = RouterOutputs["views"]["list"][number];

/**
 * The caller's saved views, for the header. Loaded in the browser only (the server renders none), so the
 * first render is the same on both sides; a view is current when its page is open with exactly its filter.
 */
export function useSavedViews() {
  const views = api.views.list.useQuery(undefined, { staleTime: 60_000 });
  const pathname = usePathname();
  const params = useSearchParams();
  const isCurrent = (view: SavedView) =>
    pathname === VIEW_PAGES[view.page].path && viewQueryOf(view.page, params) === view.query;
  const of = (page: ViewPage) => (views.data ?? []).filter((view) => view.page === page);
  return { of, isCurrent };
}

/** The page a navigation link opens, when views can be saved of it. */
export function viewPageAt(href: string): ViewPage | null {
  return (Object.keys(VIEW_PAGES) as ViewPage[]).find((page) => VIEW_PAGES[page].path === href) ?? null;
}

function ViewLinks({
  views,
  isCurrent,
  onNavigate,
  className,
}: {
  views: SavedView[];
  isCurrent: (view: SavedView) => boolean;
  onNavigate: () => void;
  className: string;
}) {
  return (
    <ul className="space-y-0.5">
      {views.map((view) => {
        const current = isCurrent(view);
        return (
          <li key={view.id}>
            <Link
              href={viewHref(view.page, view.query)}
              aria-current={current ? "page" : undefined}
              title={describeViewQuery(view.page, view.query)}
              onClick={onNavigate}
              className={`${className} block truncate ${current ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
            >
              {view.name}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The ▾ next to Logs or Jobs in the header's bar: a menu of that page's saved views (plain links, the
 * current one marked) and the way to manage them. Shown only when the page has views.
 */
export function SavedViewsMenu({ page }: { page: ViewPage }) {
  const { of, isCurrent } = useSavedViews();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const views = of(page);
  const label = VIEW_PAGES[page].label;

  // Closes on Escape (the focus back on its button) and on a click elsewhere, like the account menu.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      box.current?.querySelector("button")?.focus();
    };
    const onClick = (event: MouseEvent) => box.current && !box.current.contains(event.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, [open]);

  if (views.length === 0) return null;
  const anyCurrent = views.some(isCurrent);
  return (
    <div ref={box} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`saved-views-${page}`}
        aria-label={`Saved views of ${label}`}
        title={`Saved views of ${label}`}
        onClick={() => setOpen((was) => !was)}
        className={`rounded-md px-1 py-1.5 text-sm ${anyCurrent ? "text-indigo-800" : "text-slate-600"} hover:bg-slate-100`}
        data-testid={`saved-views-${page}`}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div
          id={`saved-views-${page}`}
          className="absolute left-0 z-30 mt-1 w-64 space-y-2 rounded-md border border-slate-200 bg-white p-2 shadow-lg"
        >
          <p className="px-2 text-xs font-medium text-slate-500">Saved views of {label}</p>
          <ViewLinks
            views={views}
            isCurrent={isCurrent}
            onNavigate={() => setOpen(false)}
            className="rounded-md px-2 py-1.5 text-sm"
          />
          <Link
            href="/dashboard/views"
            onClick={() => setOpen(false)}
            className="block border-t border-slate-200 px-2 pt-2 text-sm text-indigo-700 underline"
          >
            Manage saved views
          </Link>
        </div>
      ) : null}
    </div>
  );
}

/** The phone menu's part: every page's saved views under its name, and the way to manage them. */
export function SavedViewsSection({ pages, onNavigate }: { pages: ViewPage[]; onNavigate: () => void }) {
  const { of, isCurrent } = useSavedViews();
  const groups = pages.map((page) => ({ page, views: of(page) })).filter((group) => group.views.length > 0);
  if (groups.length === 0) return null;
  return (
    <div className="col-span-full mt-1 space-y-2 border-t border-slate-200 pt-2">
      {groups.map(({ page, views }) => (
        <div key={page}>
          <p className="px-2 text-xs font-medium text-slate-500">Saved views of {VIEW_PAGES[page].label}</p>
          <ViewLinks
            views={views}
            isCurrent={isCurrent}
            onNavigate={onNavigate}
            className="rounded-md px-2 py-2 text-sm"
          />
        </div>
      ))}
      <Link href="/dashboard/views" onClick={onNavigate} className="block px-2 py-1 text-sm text-indigo-700 underline">
        Manage saved views
      </Link>
    </div>
  );
}
