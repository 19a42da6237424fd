"use client";

import { toast } from "sonner";

/**
 * A secret shown once, right after it was made (an API token, a webhook's signing secret): what it is, the
 * value with a Copy button, and what to do with it.
 */
export function SecretOnce({
  heading,
  secret,
  what,
  testId,
  children,
}: {
  heading: React.ReactNode;
  secret: string;
  /** Its name in the copy toasts ("Token", "Secret"). */
  what: string;
  testId: string;
  children?: React.ReactNode;
}) {
  return (
    <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm">
      <p className="font-medium text-emerald-900">{heading}</p>
      <div className="mt-2 flex items-start gap-2">
        <code className="block flex-1 break-all rounded bg-white px-2 py-1 text-slate-900" data-testid={testId}>
          {secret}
        </code>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(secret).then(
              () => toast.success(`${what} copied`),
              () => toast.error(`The browser did not allow copying: select the ${what.toLowerCase()} and copy it`),
            )
          }
          className="shrink-0 rounded-md border border-emerald-300 px-2 py-1 text-xs hover:bg-emerald-100"
        >
          Copy
        </button>
      </div>
      {children}
    </div>
  );
}
