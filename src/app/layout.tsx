import type { Metadata } from "next";
import { Toaster } from "sonner";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Scheduler Dashboard", template: "%s · Scheduler Dashboard" },
  description: "Watch and steer the background work that runs on your behalf.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <TRPCReactProvider>{children}</TRPCReactProvider>
        <Toaster position="bottom-right" richColors closeButton />
      </body>
    </html>
  );
}
