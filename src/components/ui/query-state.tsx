/** What every list and card shows while loading, on error and when empty, the same way on every page. */

export function Loading({ what }: { what: string }) {
  return (
    <p aria-busy="true" aria-live="polite" className="text-sm text-slate-500">
      Loading {what}…
    </p>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      {message}
      {onRetry ? (
        <>
          {" "}
          <button type="button" className="underline" onClick={onRetry}>
            Try again
          </button>
        </>
      ) : null}
    </div>
  );
}

/**
 * A load that failed, in words: what could not be loaded and why (the server's message, which for a rate
 * limit says how long to wait), never an empty state that would claim there is nothing.
 */
export function LoadError({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: { message: string };
  onRetry?: () => void;
}) {
  return <ErrorState message={`${what} could not be loaded: ${error.message}`} onRetry={onRetry} />;
}

export function Empty({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <div
      className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600"
      data-testid={testId}
    >
      {children}
    </div>
  );
}
