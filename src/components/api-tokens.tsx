"use client";

import { useState, type FormEvent } from "react";
import { createApiTokenInput } from "@/lib/validation/system";
import { api } from "@/trpc/react";
import { ReadOnlyNote } from "./read-only-note";
import { ConfirmButton } from "./ui/confirm-button";
import { SecretOnce } from "./ui/secret-once";
import { Time } from "./ui/time";
import { useMe } from "./use-me";

export function ApiTokens() {
  const utils = api.useUtils();
  const tokens = api.system.apiTokens.list.useQuery();
  const invalidate = () => utils.system.apiTokens.list.invalidate();
  // Its error shows under the name field.
  const create = api.system.apiTokens.create.useMutation({ onSuccess: invalidate, meta: { errorShown: true } });
  const revoke = api.system.apiTokens.revoke.useMutation({
    onSuccess: (_result, { tokenId }) => {
      // A revoked token is no longer worth copying: the "copy it now" box goes with it.
      if (create.data?.id === tokenId) create.reset();
      void invalidate();
    },
  });
  const [error, setError] = useState<string | null>(null);
  const { canChange } = useMe();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = createApiTokenInput.safeParse({ name: String(new FormData(form).get("name") ?? "") });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Invalid name");
      return;
    }
    setError(null);
    create.mutate(parsed.data, { onSuccess: () => form.reset() });
  }

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="mt-1 text-sm text-slate-600">
          Personal tokens for the REST API (<code>/api/scheduler/*</code>, described at{" "}
          <a className="text-indigo-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>
          ). Send one as the header <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you; revoke it
          when it is no longer needed.
        </p>
      </div>
      <ReadOnlyNote cannot="create API tokens" />
      <form
        onSubmit={submit}
        noValidate
        className={canChange ? "flex flex-wrap items-start gap-3" : "hidden"}
        aria-label="Create a token"
      >
        <div className="min-w-72">
          <label htmlFor="name" className="block text-sm font-medium text-slate-700">
            Name
          </label>
          <input
            id="name"
            name="name"
            placeholder="e.g. reporting script"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "name-error" : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
          {error || create.error ? (
            <p id="name-error" className="mt-1 text-sm text-red-700">
              {error ?? create.error?.message}
            </p>
          ) : null}
        </div>
        <button
          type="submit"
          disabled={create.isPending}
          className="mt-6 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          Create token
        </button>
      </form>
      {create.data ? (
        <SecretOnce
          heading="Copy your new token now: it is not shown again."
          secret={create.data.token}
          what="Token"
          testId="new-token"
        />
      ) : null}
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2 font-medium">Name</th>
              <th className="py-2 font-medium">Token</th>
              <th className="py-2 font-medium">Created</th>
              <th className="py-2 font-medium">Last used</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id} data-testid="api-token">
                <td className="py-2">{t.name}</td>
                <td className="py-2 font-mono text-xs">{t.prefix}…</td>
                <td className="whitespace-nowrap py-2">
                  <Time value={t.createdAt} />
                </td>
                <td className="whitespace-nowrap py-2">
                  <Time value={t.lastUsedAt} fallback="never" />
                </td>
                <td className="py-2 text-right">
                  {t.revokedAt ? (
                    <span className="text-xs text-slate-500">revoked</span>
                  ) : !canChange ? null : (
                    <ConfirmButton
                      label="Revoke"
                      question="Revoke it? Scripts using it stop working."
                      onConfirm={() => revoke.mutate({ tokenId: t.id })}
                      className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                    />
                  )}
                </td>
              </tr>
            ))}
            {tokens.data?.length === 0 ? (
              <tr>
                <td colSpan={5} className="py-3 text-slate-500">
                  No tokens yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
