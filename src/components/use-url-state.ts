"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/**
 * A page's filters (and open drawer) kept in its URL: a view can be shared, bookmarked, and survives a
 * reload or a sign-in. Only the listed keys are read; an empty value removes a key.
 */
export function useUrlState<K extends string>(keys: readonly K[]) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)) as Partial<
    Record<K, string>
  >;
  /** `push`: a new history entry (opening a drawer, so Back closes it); otherwise the entry is replaced (filters). */
  function set(changes: Partial<Record<K, string | undefined>>, { push = false } = {}) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes) as [K, string | undefined][]) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const query = next.toString();
    const url = query ? `${pathname}?${query}` : pathname;
    if (push) router.push(url, { scroll: false });
    else router.replace(url, { scroll: false });
  }
  return [values, set] as const;
}
