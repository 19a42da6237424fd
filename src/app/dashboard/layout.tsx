import Link from "next/link";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signOutAction } from "@/app/actions/auth";
import { DatabaseStatus } from "@/components/database-status";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { findSessionUser } from "@/server/services/users";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await auth();
  const user = session?.user?.id ? await findSessionUser(getDb(), session.user.id) : null;
  if (!user) redirect("/signin?callbackUrl=/dashboard");
  const features = env(); // switched-off features leave the navigation too
  const navigation = [
    { href: "/dashboard", label: "Overview", shown: features.SCHEDULER_ENABLE_DASHBOARD },
    { href: "/dashboard/jobs", label: "Jobs", shown: features.SCHEDULER_ENABLE_DASHBOARD },
    { href: "/dashboard/logs", label: "Logs", shown: features.SCHEDULER_ENABLE_MONITORING },
    { href: "/dashboard/events", label: "Events", shown: features.SCHEDULER_ENABLE_MONITORING },
    { href: "/dashboard/intervention", label: "Intervention", shown: features.SCHEDULER_ENABLE_TASKS },
    { href: "/dashboard/platforms", label: "Platforms", shown: features.SCHEDULER_ENABLE_PLATFORM },
    { href: "/dashboard/connections", label: "Connections", shown: features.SCHEDULER_ENABLE_PLATFORM },
    { href: "/dashboard/api-tokens", label: "API tokens", shown: true },
    { href: "/dashboard/admin", label: "Admin", shown: user.role === "ADMIN" },
  ];
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-3 sm:px-6 lg:flex-row lg:items-center lg:justify-between">
          <nav aria-label="Main" className="flex flex-wrap items-center gap-x-5 gap-y-2">
            <Link href="/dashboard" className="font-semibold text-indigo-700">
              Scheduler Dashboard
            </Link>
            {navigation
              .filter((item) => item.shown)
              .map((item) => (
                <Link key={item.href} href={item.href} className="text-sm text-slate-600 hover:text-slate-900">
                  {item.label}
                </Link>
              ))}
          </nav>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
            <ThemeToggle initial={theme} />
            <span className="break-all text-slate-600" data-testid="signed-in-user">
              {user.email}
              {user.role !== "USER" ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium">{user.role}</span> : null}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <DatabaseStatus />
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
    </div>
  );
}
