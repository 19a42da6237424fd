import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { DatabaseStatus } from "@/components/database-status";
import { LiveUpdates } from "@/components/live-updates";
import { MainNav } from "@/components/main-nav";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";
import { features } from "@/server/config/env";
import { findSessionUser } from "@/server/services/users";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await auth();
  const user = session?.user?.id ? await findSessionUser(getDb(), session.user.id) : null;
  if (!user) {
    // Back to the very page that was asked for (filters included) once signed in; src/proxy.ts names it.
    const asked = (await headers()).get("x-request-path");
    redirect(`/signin?callbackUrl=${encodeURIComponent(asked?.startsWith("/dashboard") ? asked : "/dashboard")}`);
  }
  const enabled = features(); // switched-off features leave the navigation too
  const navigation = [
    { href: "/dashboard", label: "Overview", shown: enabled.dashboard },
    { href: "/dashboard/jobs", label: "Jobs", shown: enabled.dashboard },
    { href: "/dashboard/logs", label: "Logs", shown: enabled.monitoring },
    { href: "/dashboard/events", label: "Events", shown: enabled.monitoring },
    { href: "/dashboard/intervention", label: "Intervention", shown: enabled.tasks },
    { href: "/dashboard/platforms", label: "Platforms", shown: enabled.platform },
    { href: "/dashboard/connections", label: "Connections", shown: enabled.platform },
    { href: "/dashboard/alerts", label: "Alerts", shown: true },
    { href: "/dashboard/api-tokens", label: "API tokens", shown: true },
    { href: "/dashboard/admin", label: "Admin", shown: user.role === "ADMIN" },
  ];
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <div className="min-h-screen">
      <MainNav
        items={navigation.filter((item) => item.shown).map(({ href, label }) => ({ href, label }))}
        email={user.email}
        role={user.role}
        theme={theme}
      />
      <DatabaseStatus />
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      <LiveUpdates />
    </div>
  );
}
