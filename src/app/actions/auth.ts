"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { localPath } from "@/lib/local-path";
import { plural } from "@/lib/states";
import { env } from "@/server/config/env";
import { signInInput } from "@/lib/validation/auth";
import { signIn, signOut } from "@/server/auth";
import { getDb } from "@/server/db";
import { signUpInputOnServer } from "@/server/passwords";
import { createUser, EmailTakenError } from "@/server/services/users";

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
}

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const parsed = signInInput.safeParse({ email: form.get("email"), password: form.get("password") });
  const values = { email: String(form.get("email") ?? "") };
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: localPath(form.get("callbackUrl")) });
    return {};
  } catch (error) {
    // A wrong password is an AuthError; success throws Next's redirect, which must propagate.
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      const wait = `try again in ${plural(env().LOGIN_LOCKOUT_MINUTES, "minute")} at most`;
      return {
        error:
          code === "locked"
            ? `Too many failed sign-ins for this account: ${wait}`
            : code === "locked-address"
              ? `Too many failed sign-ins from your network, for several accounts: ${wait}`
              : "Wrong email or password",
        values,
      };
    }
    throw error;
  }
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = { name: form.get("name"), email: form.get("email"), password: form.get("password") };
  const values = { name: String(raw.name ?? ""), email: String(raw.email ?? "") };
  // The shared rules plus the common-password list, which only the server holds (signing in applies neither).
  const parsed = signUpInputOnServer.safeParse(raw);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    await createUser(getDb(), parsed.data);
  } catch (error) {
    if (error instanceof EmailTakenError) return { fieldErrors: { email: [error.message] }, values };
    throw error;
  }
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/dashboard" });
    return {};
  } catch (error) {
    if (error instanceof AuthError)
      return { error: "Your account was created, but signing in failed. Try signing in.", values };
    throw error;
  }
}

export async function signOutAction() {
  await signOut({ redirectTo: "/signin" });
}

export async function oauthSignInAction(form: FormData) {
  const provider = String(form.get("provider") ?? "");
  await signIn(provider, { redirectTo: localPath(form.get("callbackUrl")) });
}
