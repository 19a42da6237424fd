"use client";

import { useEffect, useId, useRef, useState } from "react";
import { searchInput } from "@/lib/validation/common";

/** How long typing pauses before the list is searched. */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * A list's search box (Logs, Jobs): what is typed goes to the URL's `q` once typing pauses and the
 * search is one the server takes (the same schema as the procedures' `search`); until then it says
 * why not ("Each search word needs at least 3 characters"), and the list stays as it was.
 */
export function SearchBox({
  value,
  onSearch,
  label,
  placeholder,
}: {
  value: string | undefined;
  onSearch: (search: string) => void;
  label: string;
  placeholder: string;
}) {
  const hintId = useId();
  const [text, setText] = useState(value ?? "");
  const sent = useRef(value ?? "");
  // A search set from elsewhere (a saved view, Back) replaces what the box holds.
  useEffect(() => {
    if ((value ?? "") !== sent.current) {
      sent.current = value ?? "";
      setText(value ?? "");
    }
  }, [value]);
  const parsed = searchInput.safeParse(text);
  const problem = parsed.success ? null : (parsed.error.issues[0]?.message ?? "This search cannot be run");
  const next = parsed.success ? (parsed.data ?? "") : null;
  useEffect(() => {
    if (next === null || next === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = next;
      onSearch(next);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [next, onSearch]);

  return (
    <div className="flex min-w-64 flex-col">
      <label className="flex items-center gap-1">
        <span className="sr-only">{label}</span>
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={placeholder}
          aria-describedby={hintId}
          aria-invalid={problem !== null}
          className="w-72 rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      <span id={hintId} aria-live="polite" className="text-xs text-amber-800">
        {problem}
      </span>
    </div>
  );
}
