"use client";

import { useEffect, useRef } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

/**
 * A page's filters (and open drawer) kept in its URL: a view can be shared, bookmarked, and survives a
 * reload or a sign-in. Only the listed keys are read; an empty value removes a key.
 *
 * Next's `router.replace` lands a moment later, so two quick changes (typing in the search box while
 * picking a status) would each start from the URL both saw, and the later one would drop the other's
 * change. Each change therefore starts from the last query this hook wrote until the URL shows it.
 */
export function useUrlState<K extends string>(keys: readonly K[]) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const rendered = params.toString();
  /** Queries written, oldest first, that the rendered URL has not shown yet. */
  const pending = useRef<{ pathname: string; queries: string[] }>({ pathname, queries: [] });
  // A debounced caller may hold an older render's `set`: it reads the latest render through this ref.
  const latest = useRef(rendered);
  useEffect(() => {
    const seen = pending.current.queries.indexOf(rendered);
    if (seen >= 0) pending.current.queries = pending.current.queries.slice(seen + 1);
    else if (pending.current.pathname !== pathname || rendered !== latest.current) {
      // The URL moved somewhere this hook did not write (Back, a link): what it wrote is moot.
      pending.current = { pathname, queries: [] };
    }
    latest.current = rendered;
  }, [pathname, rendered]);

  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)) as Partial<
    Record<K, string>
  >;
  /** `push`: a new history entry (opening a drawer, so Back closes it); otherwise the entry is replaced (filters). */
  function set(changes: Partial<Record<K, string | undefined>>, { push = false } = {}) {
    const queued = pending.current.queries;
    const next = new URLSearchParams(queued.length > 0 ? queued[queued.length - 1] : latest.current);
    for (const [key, value] of Object.entries(changes) as [K, string | undefined][]) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const query = next.toString();
    if (query !== latest.current) queued.push(query);
    const url = query ? `${pathname}?${query}` : pathname;
    if (push) router.push(url, { scroll: false });
    else router.replace(url, { scroll: false });
  }
  return [values, set] as const;
}
