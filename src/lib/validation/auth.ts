import { z } from "zod";

// Trimmed and lower-cased before the format check, so " Ann@Example.com" is accepted as ann@example.com.
const emailField = z
  .string("Enter your email address")
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address"));

/** Shared by the sign-up form, the sign-up server action and the user service. */
export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Name is too long (100 characters at most)"),
  email: emailField,
  password: z.string().min(8, "Password must be at least 8 characters").max(200, "Password is too long"),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: emailField,
  password: z.string().min(1, "Enter your password").max(200),
});
export type SignInInput = z.infer<typeof signInInput>;
