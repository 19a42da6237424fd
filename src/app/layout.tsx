import type { Metadata } from "next";
import { cookies } from "next/headers";
import { Toaster } from "sonner";
import { TRPCReactProvider } from "@/trpc/react";
import { parseTheme, THEME_COOKIE, themeClass } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Scheduler Dashboard", template: "%s · Scheduler Dashboard" },
  description: "Watch and steer the background work that runs on your behalf.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The scheme is chosen on the server so the first paint already has it (no inline script, no flash).
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-screen">
        <TRPCReactProvider>{children}</TRPCReactProvider>
        <Toaster position="bottom-right" richColors closeButton theme={theme} />
      </body>
    </html>
  );
}
