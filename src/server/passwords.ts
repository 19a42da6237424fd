import { dictionary } from "@zxcvbn-ts/language-common";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, signUpInput } from "@/lib/validation/auth";

/**
 * The common-password check of sign-up, on the server only: zxcvbn-ts's list of the most common passwords
 * (`@zxcvbn-ts/language-common`, about 49,000, lower case, from leaked-password corpora) is ~380 kB, too much
 * for the browser, so it stays out of the shared schema (src/lib/validation/auth.ts) and is added here.
 */
let common: Set<string> | undefined;

export const COMMON_PASSWORD_MESSAGE = "This password is one of the most common ones; choose another";

/** Whether the password is on the list, compared without case and surrounding spaces. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.trim().toLowerCase());
}

/** The sign-up schema with the common-password check: what the sign-up server action validates with. */
export const signUpInputOnServer = signUpInput.superRefine((input, ctx) => {
  const { password } = input as { password: unknown };
  if (typeof password !== "string") return;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) return;
  if (isCommonPassword(password))
    ctx.addIssue({ code: "custom", path: ["password"], message: COMMON_PASSWORD_MESSAGE });
});
