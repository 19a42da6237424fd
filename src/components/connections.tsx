"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CONNECTION_STATES, type ConnectionStatusName } from "@/lib/states";
import { addWebsiteInput, PLATFORM_NAMES, PLATFORMS } from "@/lib/validation/platform";
import { pollEvery } from "@/trpc/query-client";
import { api } from "@/trpc/react";
import { ReadOnlyNote } from "./read-only-note";
import { ReconnectLink } from "./reconnect-link";
import { ToneChip } from "./ui/chips";
import { LoadError } from "./ui/query-state";
import { ConfirmButton } from "./ui/confirm-button";
import { Time } from "./ui/time";
import { useMe } from "./use-me";

export function Connections({ notice, error }: { notice?: string; error?: string }) {
  const queryClient = useQueryClient();
  const connections = api.platform.connections.useQuery(undefined, { refetchInterval: pollEvery(5_000) });
  const available = api.platform.available.useQuery();
  const websites = api.platform.websites.useQuery(undefined, { refetchInterval: pollEvery(5_000) });
  const alerts = api.platform.alerts.useQuery(undefined, { refetchInterval: pollEvery(15_000) });
  const invalidate = () => queryClient.invalidateQueries();
  const dismissAlert = api.platform.dismissAlert.useMutation({ onSuccess: invalidate });
  const disconnect = api.platform.disconnect.useMutation({ onSuccess: invalidate, meta: { errorShown: true } });
  const removeWebsite = api.platform.removeWebsite.useMutation({ onSuccess: invalidate });
  const reconcile = api.platform.reconcile.useMutation({ onSuccess: invalidate });
  // Its error shows under the address field.
  const addWebsite = api.platform.addWebsite.useMutation({ onSuccess: invalidate, meta: { errorShown: true } });
  const [formErrors, setFormErrors] = useState<Record<string, string[]>>({});
  const [added, setAdded] = useState<string | null>(null);
  const { canChange } = useMe();

  function submitWebsite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      url: String(form.get("url") ?? ""),
      role: String(form.get("role") ?? "OWN") as "OWN" | "COMPETITOR",
    };
    // The same schema as the server's: a bad address is explained here, before any request.
    const parsed = addWebsiteInput.safeParse(input);
    if (!parsed.success) {
      setFormErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "url"), [i.message]])));
      return;
    }
    setFormErrors({});
    const target = event.currentTarget;
    addWebsite.mutate(input, {
      onSuccess: (result) => {
        target.reset();
        setAdded(
          result.created
            ? null
            : `${result.url} is already in your list${result.task.action === "reactivated" ? ": its analysis runs again" : ""}.`,
        );
      },
    });
  }

  const byPlatform = new Map((connections.data ?? []).map((c) => [c.platform, c]));
  const localProvider = available.data?.some((a) => a.localProvider);

  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-semibold">Connections</h1>
        <p className="mt-1 text-sm text-slate-600">
          Connect the platforms whose tokens and search data the scheduler looks after, and the websites it analyses.
          {localProvider
            ? " This installation uses the local provider, a stand-in that speaks each platform's real API."
            : null}
        </p>
        <ReadOnlyNote cannot="connect or disconnect platforms, or add or remove websites" />
      </div>
      {notice ? (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}

      {alerts.data?.length ? (
        <section aria-label="Alerts" className="space-y-2">
          {alerts.data.map((alert) => (
            <div
              key={alert.id}
              className="flex items-start justify-between gap-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm"
              data-testid="alert"
            >
              <div>
                <div className="font-medium text-red-900">{alert.title}</div>
                <div className="text-red-800">{alert.message}</div>
                <div className="text-xs text-red-800">
                  <Time value={alert.createdAt} relative />
                </div>
              </div>
              {canChange ? (
                <button
                  type="button"
                  onClick={() => dismissAlert.mutate({ alertId: alert.id })}
                  className="shrink-0 rounded border border-red-300 px-2 py-1 text-xs text-red-900 hover:bg-red-100"
                >
                  Dismiss
                </button>
              ) : null}
            </div>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="platforms-heading">
        <h2 id="platforms-heading" className="text-lg font-semibold">
          Platforms
        </h2>
        {connections.isError ? (
          <div className="mt-3">
            <LoadError what="Your connections" error={connections.error} onRetry={() => void connections.refetch()} />
          </div>
        ) : null}
        <ul className="mt-3 grid gap-3 sm:grid-cols-2">
          {PLATFORMS.map((platform) => {
            const connection = byPlatform.get(platform);
            const canConnect = available.data?.find((a) => a.platform === platform)?.available ?? false;
            const live = connection && connection.status !== "DISCONNECTED";
            const state = CONNECTION_STATES[(connection?.status ?? "DISCONNECTED") as ConnectionStatusName];
            return (
              <li
                key={platform}
                className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
                data-testid={`platform-${platform}`}
              >
                <div className="flex items-center justify-between">
                  <h3 className="font-medium">{PLATFORM_NAMES[platform]}</h3>
                  <ToneChip tone={state.tone} testId={`status-${platform}`}>
                    {state.label}
                  </ToneChip>
                </div>
                {connection && live ? (
                  <div className="mt-2 space-y-0.5 text-xs text-slate-600">
                    {connection.siteUrls.length ? <div>Sites: {connection.siteUrls.join(", ")}</div> : null}
                    {connection.needsReconnect ? <div className="text-red-800">{state.detail}</div> : null}
                    <div data-testid={`last-checked-${platform}`}>
                      Last checked <Time value={connection.lastCheckedAt} relative fallback="never" />
                      {connection.latestTokenCheck?.outcome
                        ? ` · token ${connection.latestTokenCheck.outcome.replace(/_/g, " ")}`
                        : null}
                      {connection.monitoringPaused ? " · monitoring paused" : null}
                    </div>
                    {connection.latestSnapshot ? (
                      <div data-testid={`snapshot-${platform}`}>
                        Last 28 days: {connection.latestSnapshot.clicks.toLocaleString("en")} clicks,{" "}
                        {connection.latestSnapshot.impressions.toLocaleString("en")} impressions, CTR{" "}
                        {(connection.latestSnapshot.ctr * 100).toFixed(1)}%, position{" "}
                        {connection.latestSnapshot.position.toFixed(1)}
                        {connection.latestSnapshot.topQuery
                          ? ` · top query “${connection.latestSnapshot.topQuery}”`
                          : null}{" "}
                        (fetched <Time value={connection.latestSnapshot.fetchedAt} relative />)
                      </div>
                    ) : null}
                    {connection.lastError ? <div className="text-red-700">{connection.lastError}</div> : null}
                  </div>
                ) : null}
                <div className={canChange ? "mt-3 flex gap-2" : "hidden"}>
                  {canConnect ? (
                    <ReconnectLink
                      platform={platform}
                      label={live ? "Reconnect" : "Connect"}
                      primary={!live || connection?.needsReconnect === true}
                    />
                  ) : (
                    <span className="text-xs text-slate-500">
                      Not configured on this installation (set {platform}_CLIENT_ID and {platform}_CLIENT_SECRET)
                    </span>
                  )}
                  {live ? (
                    <ConfirmButton
                      label="Disconnect"
                      question={`Disconnect ${PLATFORM_NAMES[platform]}? Its tasks end (their history is kept).`}
                      onConfirm={() => disconnect.mutate({ platform })}
                      disabled={disconnect.isPending}
                    />
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
        {disconnect.error ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {disconnect.error.message}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="websites-heading">
        <h2 id="websites-heading" className="text-lg font-semibold">
          Websites
        </h2>
        <form
          onSubmit={submitWebsite}
          noValidate
          className={canChange ? "mt-3 flex flex-wrap items-start gap-3" : "hidden"}
          aria-label="Add a website"
        >
          <div className="min-w-72 flex-1">
            <label htmlFor="url" className="block text-sm font-medium text-slate-700">
              Address
            </label>
            <input
              id="url"
              name="url"
              placeholder="https://www.example.com/"
              aria-invalid={formErrors.url ? true : undefined}
              aria-describedby={formErrors.url ? "url-error" : undefined}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
            {formErrors.url || addWebsite.error ? (
              <p id="url-error" role="alert" className="mt-1 text-sm text-red-700">
                {formErrors.url?.[0] ?? addWebsite.error?.message}
              </p>
            ) : null}
          </div>
          <div>
            <label htmlFor="role" className="block text-sm font-medium text-slate-700">
              Whose
            </label>
            <select id="role" name="role" className="mt-1 block rounded-md border border-slate-300 px-3 py-2 text-sm">
              <option value="OWN">My website</option>
              <option value="COMPETITOR">A competitor</option>
            </select>
          </div>
          <button
            type="submit"
            disabled={addWebsite.isPending}
            className="mt-6 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
          >
            Add website
          </button>
        </form>
        {added ? (
          <p role="status" className="mt-2 text-sm text-slate-700">
            {added}
          </p>
        ) : null}
        {websites.isError ? (
          <div className="mt-4">
            <LoadError what="Your websites" error={websites.error} onRetry={() => void websites.refetch()} />
          </div>
        ) : null}
        <ul className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {(websites.data ?? []).map((w) => (
            <li key={w.id} className="flex items-center justify-between gap-4 px-4 py-3 text-sm" data-testid="website">
              <div>
                <div className="font-medium">{w.url}</div>
                <div className="text-xs text-slate-500">
                  {w.role === "OWN" ? "My website" : "Competitor"} ·{" "}
                  {w.latestAnalysis ? (
                    w.latestAnalysis.error ? (
                      <>
                        last analysis failed ({w.latestAnalysis.error}){" "}
                        <Time value={w.latestAnalysis.analyzedAt} relative />
                      </>
                    ) : (
                      <>
                        SEO score {w.latestAnalysis.seoScore ?? "–"}
                        {w.latestAnalysis.change
                          ? ` (${w.latestAnalysis.change.seoScore >= 0 ? "+" : ""}${w.latestAnalysis.change.seoScore} since the previous run)`
                          : ""}
                        , {w.latestAnalysis.wordCount ?? 0} words, analysed{" "}
                        <Time value={w.latestAnalysis.analyzedAt} relative />
                      </>
                    )
                  ) : (
                    "not analysed yet"
                  )}
                </div>
              </div>
              {canChange ? (
                <ConfirmButton
                  label="Remove"
                  question="Remove this website? Its analysis ends (its history is kept)."
                  onConfirm={() => removeWebsite.mutate({ websiteId: w.id })}
                  className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                />
              ) : null}
            </li>
          ))}
          {websites.data?.length === 0 ? <li className="px-4 py-3 text-sm text-slate-500">No websites yet.</li> : null}
        </ul>
      </section>

      <section aria-labelledby="reconcile-heading" className={canChange ? "" : "hidden"}>
        <h2 id="reconcile-heading" className="text-lg font-semibold">
          Tasks
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Connecting a platform or adding a website creates its tasks. If one is missing, create it here.
        </p>
        <button
          type="button"
          onClick={() => reconcile.mutate()}
          disabled={reconcile.isPending}
          className="mt-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
        >
          Create missing tasks
        </button>
        {reconcile.data ? (
          <p role="status" className="mt-2 text-sm text-slate-700" data-testid="reconcile-report">
            {reconcile.data.created} created, {reconcile.data.reactivated} re-attached, {reconcile.data.unchanged}{" "}
            already in place.
          </p>
        ) : null}
      </section>
    </div>
  );
}
