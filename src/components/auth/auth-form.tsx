"use client";

import { useActionState } from "react";
import { signInAction, signUpAction, type FormState } from "@/app/actions/auth";
import { Field } from "@/components/ui/field";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/auth";

/** What differs between signing in and signing up; the form itself is one. */
const MODES = {
  signIn: { action: signInAction, submit: "Sign in", pending: "Signing in…", password: "current-password" },
  signUp: { action: signUpAction, submit: "Create account", pending: "Creating account…", password: "new-password" },
} as const;

/** Sign-in (`callbackUrl`: where to go after) and sign-up: fields, messages for people, one submit button. */
export function AuthForm({ mode, callbackUrl }: { mode: keyof typeof MODES; callbackUrl?: string }) {
  const how = MODES[mode];
  const [state, action, pending] = useActionState<FormState, FormData>(how.action, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      {callbackUrl !== undefined ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      {mode === "signUp" ? (
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          defaultValue={state.values?.name}
          errors={state.fieldErrors?.name}
        />
      ) : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={state.values?.email}
        errors={state.fieldErrors?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={how.password}
        errors={state.fieldErrors?.password}
      />
      {mode === "signUp" ? (
        <p className="text-xs text-slate-500">
          At least {PASSWORD_MIN_LENGTH} characters; not one of the most common passwords, not your email address, not
          spaces alone.
        </p>
      ) : null}
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? how.pending : how.submit}
      </button>
    </form>
  );
}
