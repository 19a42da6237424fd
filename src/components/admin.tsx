"use client";

import { toast } from "sonner";
import { pollEvery } from "@/trpc/query-client";
import { api } from "@/trpc/react";
import { DataTable } from "./ui/table";
import { Time } from "./ui/time";

export function Admin() {
  const utils = api.useUtils();
  const users = api.system.users.list.useQuery();
  const status = api.system.status.useQuery();
  const health = api.system.health.useQuery(undefined, { refetchInterval: pollEvery(15_000) });
  const config = api.system.config.useQuery();
  const setRole = api.system.users.setRole.useMutation({
    onSuccess: (u) => toast.success(`Role changed to ${u.role.toLowerCase()}`),
    onError: (e) => toast.error("The role was not changed", { description: e.message }),
    onSettled: () => utils.system.users.list.invalidate(),
  });
  const reconcile = api.dashboard.cumulativeStats.reconcile.useMutation({
    onError: (e) => toast.error("The comparison failed", { description: e.message }),
  });

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Administration</h1>
      <section aria-labelledby="users-heading">
        <h2 id="users-heading" className="text-lg font-semibold">
          Users and roles
        </h2>
        <DataTable
          className="mt-2"
          columns={[
            { label: "Email" },
            { label: "Name" },
            { label: "Tasks", numeric: true },
            { label: "Since" },
            { label: "Role" },
          ]}
        >
          {(users.data ?? []).map((u) => (
            <tr key={u.id} data-testid="user-row">
              <td className="px-3 py-2">{u.email}</td>
              <td className="px-3 py-2">{u.name}</td>
              <td className="px-3 py-2 text-right tabular-nums">{u.tasks}</td>
              <td className="whitespace-nowrap px-3 py-2">
                <Time value={u.createdAt} />
              </td>
              <td className="px-3 py-2">
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  onChange={(e) =>
                    setRole.mutate({ userId: u.id, role: e.target.value as "ADMIN" | "USER" | "VIEWER" })
                  }
                  className="rounded-md border border-slate-300 px-2 py-1"
                >
                  <option value="ADMIN">Admin</option>
                  <option value="USER">User</option>
                  <option value="VIEWER">Viewer (read-only)</option>
                </select>
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section aria-labelledby="stats-heading">
        <h2 id="stats-heading" className="text-lg font-semibold">
          Cumulative statistics
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Recompute the all-time counters from the scheduler events and compare. Nothing is written unless you apply the
          difference.
        </p>
        <div className="mt-2 flex gap-2">
          <button
            type="button"
            onClick={() => reconcile.mutate({ apply: false })}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
          >
            Compare
          </button>
          {reconcile.data && !reconcile.data.consistent && !reconcile.data.applied ? (
            <button
              type="button"
              onClick={() =>
                reconcile.mutate(
                  { apply: true },
                  { onSuccess: () => toast.success("Counters set to the recomputed values") },
                )
              }
              className="rounded-md bg-amber-600 px-3 py-1.5 text-sm text-white"
            >
              Apply the recomputed values
            </button>
          ) : null}
        </div>
        {reconcile.data ? (
          <p role="status" className="mt-2 text-sm" data-testid="reconcile-result">
            {reconcile.data.consistent
              ? "The counters match the events."
              : reconcile.data.applied
                ? "Applied."
                : `Differences: ${Object.entries(reconcile.data.difference)
                    .map(([k, v]) => `${k} ${v! > 0 ? "+" : ""}${v}`)
                    .join(", ")}`}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="system-heading" className="grid gap-4 md:grid-cols-2">
        <div>
          <h2 id="system-heading" className="text-lg font-semibold">
            System
          </h2>
          {status.data ? (
            <dl className="mt-2 grid grid-cols-2 gap-1 text-sm">
              <dt className="text-slate-500">Version</dt>
              <dd>{status.data.version}</dd>
              <dt className="text-slate-500">Environment</dt>
              <dd>{status.data.environment}</dd>
              <dt className="text-slate-500">Database</dt>
              <dd>{status.data.database}</dd>
              <dt className="text-slate-500">Engine</dt>
              <dd>{status.data.engineMode}</dd>
              <dt className="text-slate-500">Features</dt>
              <dd>
                {Object.entries(status.data.features)
                  .filter(([, on]) => on)
                  .map(([f]) => f)
                  .join(", ")}
              </dd>
            </dl>
          ) : null}
          {health.data ? (
            <ul className="mt-3 space-y-1 text-sm" aria-label="Health checks" data-testid="health-checks">
              {Object.entries(health.data.checks).map(([name, c]) => (
                <li key={name}>
                  <span
                    className={`mr-2 inline-block w-20 rounded px-1.5 text-center text-xs ${c.status === "ok" ? "bg-emerald-100" : c.status === "off" ? "bg-slate-100" : "bg-amber-100"}`}
                  >
                    {c.status}
                  </span>
                  {name}
                  {c.detail ? <span className="text-slate-500"> — {c.detail}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div>
          <h2 className="text-lg font-semibold">Configuration</h2>
          <div
            tabIndex={0}
            role="region"
            aria-label="Effective configuration"
            className="mt-2 max-h-96 overflow-y-auto rounded border border-slate-200 bg-white p-2 font-mono text-xs focus:outline-2 focus:outline-indigo-500"
          >
            {config.data
              ? Object.entries(config.data).map(([k, v]) => (
                  <div key={k}>
                    <span className="text-slate-500">{k}</span> = {JSON.stringify(v)}
                  </div>
                ))
              : null}
          </div>
        </div>
      </section>
    </div>
  );
}
