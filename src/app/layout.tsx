import type { Metadata } from "next";
import { cookies } from "next/headers";
import { Toaster } from "sonner";
import { TimeProvider } from "@/components/ui/time";
import { isTimeZone, TIME_ZONE_COOKIE } from "@/lib/format";
import { parseTheme, THEME_COOKIE, themeClass } from "@/lib/theme";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Scheduler Dashboard", template: "%s · Scheduler Dashboard" },
  description: "Watch and steer the background work that runs on your behalf.",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "any" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

/** The moment this page is rendered at (outside the component: rendering itself stays pure). */
const renderedAt = () => Date.now();

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const jar = await cookies();
  // The scheme is chosen on the server so the first paint already has it (no inline script, no flash).
  const theme = parseTheme(jar.get(THEME_COOKIE)?.value);
  // Times are rendered in the viewer's zone (told by the browser in a cookie; UTC until it has),
  // and at this moment: the browser hydrates with the same two values.
  const zone = decodeURIComponent(jar.get(TIME_ZONE_COOKIE)?.value ?? "");
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-screen">
        <TimeProvider zone={isTimeZone(zone) ? zone : "UTC"} now={renderedAt()}>
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </TimeProvider>
        <Toaster position="bottom-right" richColors closeButton theme={theme} />
      </body>
    </html>
  );
}
