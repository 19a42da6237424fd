"use client";

import { useEffect, useEffectEvent, useId, useRef } from "react";

/**
 * A modal on the browser's own <dialog>: it takes the focus when it opens (its first control, or one
 * marked data-autofocus), keeps it inside, closes on Escape or a click on the backdrop, and gives the focus
 * back when it closes. Mounted means open: render it only while it should show. `side` makes it a
 * drawer from the right.
 */
export function Dialog({
  title,
  onClose,
  children,
  side = false,
  testId,
}: {
  title: React.ReactNode;
  onClose: () => void;
  children: React.ReactNode;
  side?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closed = useEffectEvent(() => onClose());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first control; a field marked data-autofocus is where typing starts instead.
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    const onNativeClose = () => closed();
    dialog.addEventListener("close", onNativeClose);
    return () => {
      dialog.removeEventListener("close", onNativeClose);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      // A click that lands on the <dialog> itself, not its content, is a click on the backdrop.
      onClick={(event) => {
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
      className={
        side
          ? "fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-xl overflow-y-auto bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/30"
          : "m-auto w-full max-w-md rounded-lg bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/30"
      }
    >
      <div className="p-6">
        <div className="flex items-start justify-between gap-4">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={() => ref.current?.close()}
            className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50"
          >
            Close
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}
