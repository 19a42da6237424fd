import { OUTCOME_LABELS, STATUS_LABELS } from "@/lib/labels";

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
};

export function OutcomeChip({ outcome }: { outcome: string | null | undefined }) {
  if (!outcome) return <span className="text-xs text-slate-500">never ran</span>;
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_STYLE[outcome] ?? "bg-slate-100"}`}>{OUTCOME_LABELS[outcome] ?? outcome}</span>;
}

export function StatusChip({ status }: { status: string }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? "bg-slate-100"}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function Spinner({ label }: { label: string }) {
  return (
    <span role="status" aria-label={label} className="inline-block h-3.5 w-3.5 animate-spin rounded-full border-2 border-current border-t-transparent align-[-2px]" />
  );
}
