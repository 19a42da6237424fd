"use client";

import { useMe } from "./use-me";

/** Said where a read-only viewer would otherwise look for a button: what the account cannot do, and who can change that. */
export function ReadOnlyNote({ cannot }: { cannot: string }) {
  const { me, canChange } = useMe();
  if (!me || canChange) return null;
  return (
    <p className="text-sm text-slate-600" data-testid="read-only-note">
      Your account is read-only, so it cannot {cannot}. If you need to, ask an administrator to give your account the
      user role.
    </p>
  );
}
