import type { Role } from "@/generated/sqlite/enums";

/** Who is asking. Every user-scoped query builds its `where` from this, through `ownedBy`. */
export interface Scope {
  userId: string;
  role: Role;
}

/**
 * The one place that decides which rows a scope may see: its own, or every user's for an admin.
 * A row outside the scope is treated as absent (NOT_FOUND), never as forbidden.
 */
export function ownedBy(scope: Scope): { userId?: string } {
  return scope.role === "ADMIN" ? {} : { userId: scope.userId };
}

/**
 * The caller's own rows only, whatever their role: for personal settings (connections, websites),
 * where an admin manages their own like anyone else.
 */
export function ownRows(scope: Scope): { userId: string } {
  return { userId: scope.userId };
}

/** The same caller seeing only their own rows, whatever their role (pages about personal settings). */
export function ownScope(scope: Scope): Scope {
  return scope.role === "ADMIN" ? { ...scope, role: "USER" } : scope;
}
