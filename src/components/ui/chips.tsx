import { OUTCOME_LABELS, STATUS_LABELS } from "@/lib/labels";
import type { Tone } from "@/lib/states";

const TONE_STYLE: Record<Tone, string> = {
  good: "bg-emerald-100 text-emerald-900",
  warn: "bg-amber-100 text-amber-900",
  bad: "bg-red-100 text-red-900",
  neutral: "bg-slate-100 text-slate-800",
};

/** A state's label in its tone (a connection's "Connected", "Expired"). */
export function ToneChip({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${TONE_STYLE[tone]}`} data-testid={testId}>
      {children}
    </span>
  );
}

const OUTCOME_STYLE: Record<string, string> = {
  SUCCESS: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-100 text-red-900",
  TIMED_OUT: "bg-orange-100 text-orange-900",
  RUNNING: "bg-sky-100 text-sky-900",
  SKIPPED: "bg-slate-100 text-slate-800",
  INTERRUPTED: "bg-amber-100 text-amber-900",
};

const STATUS_STYLE: Record<string, string> = {
  ACTIVE: "bg-emerald-100 text-emerald-900",
  PAUSED: "bg-slate-100 text-slate-800",
  FAILED: "bg-red-100 text-red-900",
  NEEDS_INTERVENTION: "bg-amber-100 text-amber-900",
  ENDED: "bg-slate-100 text-slate-700",
};

export function OutcomeChip({ outcome }: { outcome: string | null | undefined }) {
  if (!outcome) return <span className="text-xs text-slate-500">never ran</span>;
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_STYLE[outcome] ?? "bg-slate-100"}`}
    >
      {OUTCOME_LABELS[outcome] ?? outcome}
    </span>
  );
}

export function StatusChip({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? "bg-slate-100"}`}
    >
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span
      role="status"
      aria-label={label}
      className="inline-block h-3.5 w-3.5 animate-spin rounded-full border-2 border-current border-t-transparent align-[-2px]"
    />
  );
}
