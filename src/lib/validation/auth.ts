import { z } from "zod";
import { text } from "./common";

// Trimmed and lower-cased before the format check, so " Ann@Example.com" is accepted as ann@example.com.
const emailField = text("Enter your email address")
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address"));

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads the first 72 bytes of a password and ignores the rest, so a longer one would be a false promise. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MAX_LENGTH = PASSWORD_MAX_BYTES;

/**
 * A new password: its length first (a too-short one gets that message alone), then what it is made of.
 * Signing in applies none of this: accounts made under older rules keep working.
 */
const newPasswordField = z
  .string("Enter a password")
  .min(PASSWORD_MIN_LENGTH, { error: `Password must be at least ${PASSWORD_MIN_LENGTH} characters`, abort: true })
  .refine((password) => new TextEncoder().encode(password).length <= PASSWORD_MAX_BYTES, {
    error: `Use at most ${PASSWORD_MAX_BYTES} characters (fewer with accents or emoji, which count double or more)`,
    abort: true,
  })
  .refine(
    (password) => password.trim() !== "",
    "A password of spaces alone is too easy to guess; add other characters",
  );

/**
 * Why this password may not go with this email, in words for the form, or undefined. Compared without
 * case and surrounding spaces, against the whole address and its local part (before the @).
 */
export function passwordEmailProblem(password: string, email: string): string | undefined {
  const candidate = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  const localPart = at > 0 ? address.slice(0, at) : address;
  if (candidate === "" || address === "") return undefined;
  if (candidate === address) return "The password cannot be your email address; choose another";
  if (candidate === localPart) return "The password cannot be the first part of your email address; choose another";
  return undefined;
}

/**
 * Shared by the sign-up form, the sign-up server action and the user service. The action adds a check against
 * a list of common passwords on the server (src/server/passwords.ts), which is too large to ship to a browser.
 */
export const signUpInput = z
  .object({
    name: text().trim().min(1, "Enter your name").max(100, "Name is too long (100 characters at most)"),
    email: emailField,
    password: newPasswordField,
  })
  .superRefine((input, ctx) => {
    // Object refinements run even when a field failed: judge only a password of a valid length.
    const { password, email } = input as { password: unknown; email: unknown };
    if (typeof password !== "string" || typeof email !== "string") return;
    if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) return;
    const problem = passwordEmailProblem(password, email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: emailField,
  password: text().min(1, "Enter your password").max(200),
});
export type SignInInput = z.infer<typeof signInInput>;
