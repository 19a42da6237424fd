import { z } from "zod";
import { text } from "./common";

export const reconcileStatsInput = z
  .object({ apply: z.boolean({ error: "apply must be true or false" }).default(false) })
  .strict();
export type ReconcileStatsInput = z.infer<typeof reconcileStatsInput>;

export const createApiTokenInput = z
  .object({ name: text().trim().min(1, "Give the token a name").max(60, "The name is at most 60 characters") })
  .strict();
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;

export const tokenIdInput = z.object({ tokenId: text().trim().min(1, "tokenId is required").max(64) }).strict();

export const setRoleInput = z
  .object({
    userId: text().trim().min(1, "userId is required").max(64),
    role: z.enum(["ADMIN", "USER", "VIEWER"], { error: "role must be ADMIN, USER or VIEWER" }),
  })
  .strict();
export type SetRoleInput = z.infer<typeof setRoleInput>;
