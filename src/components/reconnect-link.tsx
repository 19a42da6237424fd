import { PLATFORM_NAMES } from "@/lib/platforms";

/**
 * Connect (or connect again) a platform: the OAuth flow starts at the route handler, so this is a
 * plain link (a full page navigation), never a client-side route.
 */
export function ReconnectLink({
  platform,
  label = "Reconnect",
  primary = true,
}: {
  platform: keyof typeof PLATFORM_NAMES;
  label?: string;
  primary?: boolean;
}) {
  return (
    <a
      href={`/api/connections/${platform.toLowerCase()}/authorize`}
      className={
        primary
          ? "inline-block rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700"
          : "inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
      }
      aria-label={`${label} ${PLATFORM_NAMES[platform]}`}
    >
      {label}
    </a>
  );
}
