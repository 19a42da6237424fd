"use client";

import { useState } from "react";

/**
 * A destructive action in two steps: the first click asks, the second (on "Confirm") acts.
 * Inline rather than a modal, so it stays next to what it changes.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled,
  className,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        onClick={() => setAsking(true)}
        disabled={disabled}
        className={
          className ?? "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50"
        }
      >
        {label}
      </button>
    );
  }
  return (
    // Escape backs out, as in a dialog; the focus is already on Confirm.
    <span
      role="group"
      aria-label={question}
      onKeyDown={(event) => event.key === "Escape" && setAsking(false)}
      className="inline-flex flex-wrap items-center gap-2 text-sm"
    >
      <span>{question}</span>
      <button
        type="button"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        className="rounded bg-red-600 px-2 py-1 text-white hover:bg-red-700"
      >
        Confirm
      </button>
      <button type="button" onClick={() => setAsking(false)} className="rounded border border-slate-300 px-2 py-1">
        Cancel
      </button>
    </span>
  );
}
