import Link from "next/link";

/** The branded page for a dead end (404) or a page that is not for this account (403). */
export function StatusPage({
  code,
  title,
  children,
  inDashboard = false,
}: {
  code: number;
  title: string;
  children: React.ReactNode;
  inDashboard?: boolean;
}) {
  const body = (
    <div className="mx-auto max-w-lg py-10 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-indigo-600">Scheduler Dashboard · {code}</p>
      <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
      <div className="mt-3 text-sm text-slate-600">{children}</div>
      <p className="mt-6 flex justify-center gap-3 text-sm">
        <Link
          href="/dashboard"
          className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700"
        >
          Go to the overview
        </Link>
        <Link href="/dashboard/jobs" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
          Your jobs
        </Link>
      </p>
    </div>
  );
  // Inside the dashboard the header is already there; elsewhere the page stands alone.
  return inDashboard ? body : <main className="flex min-h-screen items-center justify-center px-4">{body}</main>;
}
