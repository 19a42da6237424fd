"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import {
  ALERT_KINDS,
  alertKindLabel,
  CHANNEL_KIND_NAMES,
  CHANNEL_KINDS,
  isAlertKind,
  REMINDER_CHOICES,
} from "@/lib/alert-kinds";
import { formatSpanExact } from "@/lib/format";
import { saveChannelInput } from "@/lib/validation/alerts";
import { api, type RouterOutputs } from "@/trpc/react";
import { pollEvery } from "@/trpc/query-client";
import { ReadOnlyNote } from "./read-only-note";
import { ToneChip } from "./ui/chips";
import { ConfirmButton } from "./ui/confirm-button";
import { SecretOnce } from "./ui/secret-once";
import { LoadError, Loading } from "./ui/query-state";
import { Time } from "./ui/time";
import { useMe } from "./use-me";

type Channel = RouterOutputs["alerts"]["channels"][number];
type Rule = RouterOutputs["alerts"]["rules"][number];

const SEVERITY_TONE = { INFO: "good", WARNING: "warn", ERROR: "bad" } as const;
const DELIVERY_TONE = { PENDING: "neutral", SENDING: "neutral", DELIVERED: "good", FAILED: "bad" } as const;
const DELIVERY_LABEL = { PENDING: "Waiting", SENDING: "Sending", DELIVERED: "Delivered", FAILED: "Failed" } as const;
const PURPOSE_LABEL = {
  RAISED: "Alert",
  REMINDER: "Reminder",
  RECOVERED: "Cleared",
  TEST: "Test",
  DIGEST: "Daily digest",
} as const;

const SNOOZE_CHOICES = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "1 week", ms: 7 * 86_400_000 },
];

const button = "rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-50";

/** The alerts page: the inbox, the rules, the channels and the delivery log. */
export function Alerts() {
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="mt-1 text-sm text-slate-600">
          What needs you, without watching the dashboard: each rule says what raises an alert and where it goes (always
          here, and to the channels you pick: e-mail, a signed webhook, Slack). One alert per problem, a notice when it
          clears, reminders only if you ask for them. Alerts are personal: each account has its own rules, channels and
          inbox, about its own tasks and connections.
        </p>
      </div>
      <Inbox />
      <Rules />
      <Channels />
      <Deliveries />
    </div>
  );
}

function Inbox() {
  const utils = api.useUtils();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = api.alerts.inbox.useQuery({ unreadOnly, limit: 50 }, { refetchInterval: pollEvery(15_000) });
  const { canChange } = useMe();
  const markRead = api.alerts.markRead.useMutation({
    onSuccess: () => Promise.all([utils.alerts.inbox.invalidate(), utils.alerts.unreadCount.invalidate()]),
  });
  return (
    <section aria-labelledby="inbox-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="inbox-heading" className="text-lg font-semibold">
          Inbox
        </h2>
        {inbox.data ? (
          <span className="text-sm text-slate-600" data-testid="inbox-unread">
            {inbox.data.unread} unread
          </span>
        ) : null}
        <label className="ml-auto flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
          Unread only
        </label>
        {canChange && inbox.data?.unread ? (
          <button type="button" className={button} onClick={() => markRead.mutate({ all: true })}>
            Mark all read
          </button>
        ) : null}
      </div>
      <ReadOnlyNote cannot="mark alerts read" />
      {inbox.isPending ? (
        <Loading what="alerts" />
      ) : inbox.error ? (
        <LoadError what="the alerts" error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.alerts.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="inbox-empty">
          {unreadOnly ? "Nothing unread." : "No alerts yet. When a rule below fires, its alert appears here."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
          {inbox.data.alerts.map((alert) => (
            <li
              key={alert.id}
              className={`flex flex-wrap items-start gap-3 px-3 py-2.5 ${alert.readAt ? "" : "bg-indigo-50"}`}
              data-testid="inbox-alert"
            >
              <ToneChip tone={SEVERITY_TONE[alert.severity]}>{alertKindLabel(alert.kind)}</ToneChip>
              <div className="min-w-0 flex-1">
                <p className={`text-sm ${alert.readAt ? "" : "font-semibold"}`}>
                  {alert.title}
                  {isAlertKind(alert.kind) && ALERT_KINDS[alert.kind].episodic ? (
                    <span className="ml-2 text-xs font-normal text-slate-600">
                      {alert.resolvedAt ? "cleared" : "ongoing"}
                    </span>
                  ) : null}
                </p>
                <p className="text-sm text-slate-600">{alert.message}</p>
                <p className="mt-0.5 text-xs text-slate-600">
                  <Time value={alert.createdAt} relative />
                  {alert.link ? (
                    <>
                      {" · "}
                      <Link href={alert.link} className="text-indigo-700 underline">
                        Open
                      </Link>
                    </>
                  ) : null}
                </p>
              </div>
              {canChange && !alert.readAt ? (
                <button type="button" className={button} onClick={() => markRead.mutate({ ids: [alert.id] })}>
                  Mark read
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Rules() {
  const rules = api.alerts.rules.useQuery();
  const channels = api.alerts.channels.useQuery();
  return (
    <section aria-labelledby="rules-heading" className="space-y-3">
      <h2 id="rules-heading" className="text-lg font-semibold">
        Rules
      </h2>
      <ReadOnlyNote cannot="change alert rules" />
      {rules.isPending || channels.isPending ? (
        <Loading what="rules" />
      ) : rules.error || channels.error ? (
        <LoadError
          what="the rules"
          error={(rules.error ?? channels.error)!}
          onRetry={() => void Promise.all([rules.refetch(), channels.refetch()])}
        />
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2 pr-3 font-medium">Alert when</th>
                <th className="py-2 pr-3 font-medium">On</th>
                <th className="py-2 pr-3 font-medium">Send to (besides this page)</th>
                <th className="py-2 pr-3 font-medium">Remind</th>
                <th className="py-2 font-medium">Snooze</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {rules.data.map((rule) => (
                <RuleRow key={rule.kind} rule={rule} channels={channels.data} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RuleRow({ rule, channels }: { rule: Rule; channels: Channel[] }) {
  const utils = api.useUtils();
  const { canChange } = useMe();
  const kind = ALERT_KINDS[rule.kind];
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const done = {
    onSuccess: () => {
      setError(null);
      setSaved(true);
      return utils.alerts.rules.invalidate();
    },
    onError: (e: { message: string }) => setError(e.message),
    meta: { errorShown: true },
  };
  const update = api.alerts.updateRule.useMutation(done);
  // What was just changed shows at once (a checkbox follows the click) until the server's answer is read back;
  // a refusal then shows the truth again.
  const [pending, setPending] = useState<Partial<Pick<Rule, "enabled" | "channelIds" | "remindEveryMinutes">>>({});
  const shown = { ...rule, ...pending };
  const change = (input: Parameters<typeof update.mutate>[0]) => {
    const { kind: _kind, threshold: _threshold, ...patch } = input;
    setPending((before) => ({ ...before, ...patch }));
    setSaved(false);
    update.mutate(input, {
      onSettled: async () => {
        await utils.alerts.rules.invalidate();
        setPending({});
      },
    });
  };
  const snooze = api.alerts.snooze.useMutation(done);
  const id = `rule-${rule.kind}`;
  return (
    <tr data-testid={`rule-${rule.kind}`}>
      <td className="py-2.5 pr-3 align-top">
        <p className="font-medium" id={id}>
          {kind.label}
        </p>
        <p className="text-xs text-slate-500">{kind.description}</p>
        {kind.threshold && rule.threshold !== null ? (
          <form
            className="mt-1 flex items-center gap-1.5 text-xs"
            onSubmit={(event: FormEvent<HTMLFormElement>) => {
              event.preventDefault();
              const value = Number(new FormData(event.currentTarget).get("threshold"));
              setSaved(false);
              update.mutate({ kind: rule.kind, threshold: value });
            }}
          >
            <label htmlFor={`${id}-threshold`}>{kind.threshold.phrase(rule.threshold).split(/\d+/)[0]}</label>
            <input
              id={`${id}-threshold`}
              name="threshold"
              type="number"
              min={kind.threshold.min}
              max={kind.threshold.max}
              defaultValue={rule.threshold}
              disabled={!canChange}
              className="w-16 rounded border border-slate-300 px-1.5 py-0.5"
            />
            <span>{kind.threshold.unit === "percent" ? "%" : kind.threshold.unit}</span>
            {canChange ? (
              <button type="submit" className={button}>
                Save
              </button>
            ) : null}
          </form>
        ) : null}
        {error ? (
          <p className="mt-1 text-xs text-red-700" role="alert">
            {error}
          </p>
        ) : null}
        <p role="status" className="mt-1 text-xs text-emerald-800" data-testid="rule-saved">
          {saved && !error ? "Saved" : ""}
        </p>
      </td>
      <td className="py-2.5 pr-3 align-top">
        <input
          type="checkbox"
          aria-labelledby={id}
          aria-label={`${kind.label}: on`}
          checked={shown.enabled}
          disabled={!canChange}
          onChange={(e) => change({ kind: rule.kind, enabled: e.target.checked })}
        />
      </td>
      <td className="py-2.5 pr-3 align-top">
        {!shown.enabled ? <p className="mb-1 text-xs text-slate-600">Off: nothing is raised or sent.</p> : null}
        {channels.length === 0 ? (
          <span className="text-xs text-slate-500">
            {canChange ? "no channels yet (add one below)" : "no channels"}
          </span>
        ) : (
          <div className="flex flex-col gap-1">
            {channels.map((channel) => (
              <label key={channel.id} className="flex items-center gap-1.5 text-xs">
                <input
                  type="checkbox"
                  checked={shown.channelIds.includes(channel.id)}
                  disabled={!canChange}
                  onChange={(e) =>
                    change({
                      kind: rule.kind,
                      channelIds: e.target.checked
                        ? [...shown.channelIds, channel.id]
                        : shown.channelIds.filter((c) => c !== channel.id),
                    })
                  }
                />
                {channel.name}
              </label>
            ))}
          </div>
        )}
      </td>
      <td className="py-2.5 pr-3 align-top">
        {kind.episodic ? (
          <select
            aria-label={`${kind.label}: remind`}
            value={shown.remindEveryMinutes ?? ""}
            disabled={!canChange}
            onChange={(e) =>
              change({ kind: rule.kind, remindEveryMinutes: e.target.value ? Number(e.target.value) : null })
            }
            className="rounded border border-slate-300 px-1.5 py-1 text-xs"
          >
            {REMINDER_CHOICES.map((minutes) => (
              <option key={minutes ?? "never"} value={minutes ?? ""}>
                {minutes === null ? "Never" : `every ${formatSpanExact(minutes * 60_000)}`}
              </option>
            ))}
            {shown.remindEveryMinutes !== null &&
            !(REMINDER_CHOICES as readonly (number | null)[]).includes(shown.remindEveryMinutes) ? (
              <option value={shown.remindEveryMinutes}>
                every {formatSpanExact(shown.remindEveryMinutes * 60_000)}
              </option>
            ) : null}
          </select>
        ) : (
          <span className="text-xs text-slate-500">not repeated (a one-off)</span>
        )}
      </td>
      <td className="py-2.5 align-top">
        {rule.snoozedUntil ? (
          <div className="flex flex-wrap items-center gap-1.5 text-xs" data-testid="snoozed">
            <span>
              until <Time value={rule.snoozedUntil} />
            </span>
            {canChange ? (
              <button type="button" className={button} onClick={() => snooze.mutate({ kind: rule.kind, until: null })}>
                Wake
              </button>
            ) : null}
          </div>
        ) : canChange ? (
          <select
            aria-label={`${kind.label}: snooze`}
            value=""
            onChange={(e) =>
              e.target.value && snooze.mutate({ kind: rule.kind, until: new Date(Date.now() + Number(e.target.value)) })
            }
            className="rounded border border-slate-300 px-1.5 py-1 text-xs"
          >
            <option value="">Snooze…</option>
            {SNOOZE_CHOICES.map((choice) => (
              <option key={choice.ms} value={choice.ms}>
                {choice.label}
              </option>
            ))}
          </select>
        ) : (
          <span className="text-xs text-slate-500">—</span>
        )}
      </td>
    </tr>
  );
}

function Channels() {
  const utils = api.useUtils();
  const channels = api.alerts.channels.useQuery();
  const { canChange } = useMe();
  const invalidate = () => Promise.all([utils.alerts.channels.invalidate(), utils.alerts.rules.invalidate()]);
  const save = api.alerts.saveChannel.useMutation({ onSuccess: invalidate, meta: { errorShown: true } });
  const remove = api.alerts.removeChannel.useMutation({
    onSuccess: (_r, { id }) => {
      if (save.data?.id === id) save.reset();
      return invalidate();
    },
  });
  const test = api.alerts.testChannel.useMutation({
    onSuccess: () => {
      toast.success("Test message queued: watch it in the delivery log below");
      return utils.alerts.deliveries.invalidate();
    },
  });
  const [kind, setKind] = useState<(typeof CHANNEL_KIND_NAMES)[number]>("WEBHOOK");
  const [errors, setErrors] = useState<Record<string, string>>({});

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const target = CHANNEL_KINDS[kind].target;
    const parsed = saveChannelInput.safeParse({
      kind,
      name: String(data.get("name") ?? ""),
      ...(target === "url" ? { url: String(data.get("url") ?? "") } : { email: String(data.get("email") ?? "") }),
      ...(kind === "EMAIL" ? { digest: data.get("digest") === "on" } : {}),
    });
    if (!parsed.success) {
      setErrors(
        Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message])),
      );
      return;
    }
    setErrors({});
    save.mutate(parsed.data, { onSuccess: () => form.reset() });
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm";
  const target = CHANNEL_KINDS[kind].target;
  return (
    <section aria-labelledby="channels-heading" className="space-y-3">
      <h2 id="channels-heading" className="text-lg font-semibold">
        Channels
      </h2>
      <ReadOnlyNote cannot="add alert channels" />
      {channels.isPending ? (
        <Loading what="channels" />
      ) : channels.error ? (
        <LoadError what="the channels" error={channels.error} onRetry={() => void channels.refetch()} />
      ) : channels.data.length === 0 ? (
        <p className="text-sm text-slate-500">No channels yet: alerts show on this page only.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
          {channels.data.map((channel) => (
            <li key={channel.id} className="flex flex-wrap items-center gap-3 px-3 py-2.5" data-testid="channel">
              <ToneChip tone={channel.unavailable ? "warn" : "neutral"}>{CHANNEL_KINDS[channel.kind].label}</ToneChip>
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">{channel.name}</p>
                <p className="truncate text-xs text-slate-500">
                  {channel.url ?? channel.email}
                  {channel.digest ? " · daily digest" : ""}
                  {channel.signed ? " · signed (Standard Webhooks)" : ""}
                </p>
                {channel.unavailable ? (
                  <p className="text-xs text-amber-800" data-testid="channel-unavailable">
                    Unavailable: {channel.unavailable}
                  </p>
                ) : null}
              </div>
              {canChange ? (
                <>
                  <button
                    type="button"
                    className={button}
                    disabled={test.isPending}
                    onClick={() => test.mutate({ id: channel.id })}
                  >
                    Send test
                  </button>
                  <ConfirmButton
                    label="Remove"
                    question="Remove it? Rules stop sending to it."
                    onConfirm={() => remove.mutate({ id: channel.id })}
                    className={button}
                  />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {save.data?.secret ? (
        <SecretOnce
          heading={`Copy the signing secret of “${channels.data?.find((c) => c.id === save.data?.id)?.name ?? "the new webhook"}” now: it is not shown again.`}
          secret={save.data.secret}
          what="Secret"
          testId="webhook-secret"
        >
          <p className="mt-2 text-emerald-900">
            Each request carries <code>webhook-id</code>, <code>webhook-timestamp</code> and{" "}
            <code>webhook-signature</code> (Standard Webhooks): verify them with this secret, e.g.{" "}
            <code>new Webhook(secret).verify(body, headers)</code> from the <code>standardwebhooks</code> package, and
            drop a <code>webhook-id</code> you have seen (a retry).
          </p>
        </SecretOnce>
      ) : null}
      <form
        onSubmit={submit}
        noValidate
        aria-label="Add a channel"
        className={canChange ? "grid gap-3 rounded-md border border-slate-200 p-4 sm:grid-cols-2" : "hidden"}
      >
        <div>
          <label htmlFor="channel-kind" className="block text-sm font-medium text-slate-700">
            Kind
          </label>
          <select
            id="channel-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
            className={input}
          >
            {CHANNEL_KIND_NAMES.map((k) => (
              <option key={k} value={k}>
                {CHANNEL_KINDS[k].label}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-slate-500">{CHANNEL_KINDS[kind].hint}</p>
        </div>
        <div>
          <label htmlFor="channel-name" className="block text-sm font-medium text-slate-700">
            Name
          </label>
          <input
            id="channel-name"
            name="name"
            placeholder="e.g. on-call"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? "channel-name-error" : undefined}
            className={input}
          />
          {errors.name ? (
            <p id="channel-name-error" className="mt-1 text-sm text-red-700">
              {errors.name}
            </p>
          ) : null}
        </div>
        {target === "url" ? (
          <div className="sm:col-span-2">
            <label htmlFor="channel-url" className="block text-sm font-medium text-slate-700">
              URL
            </label>
            <input
              id="channel-url"
              name="url"
              type="url"
              placeholder={kind === "SLACK" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/alerts"}
              aria-invalid={errors.url || save.error ? true : undefined}
              aria-describedby={errors.url || save.error ? "channel-url-error" : undefined}
              className={input}
            />
            {errors.url || save.error ? (
              <p id="channel-url-error" className="mt-1 text-sm text-red-700">
                {errors.url ?? save.error?.message}
              </p>
            ) : null}
          </div>
        ) : (
          <>
            <div>
              <label htmlFor="channel-email" className="block text-sm font-medium text-slate-700">
                E-mail address
              </label>
              <input
                id="channel-email"
                name="email"
                type="email"
                aria-invalid={errors.email || save.error ? true : undefined}
                aria-describedby={errors.email || save.error ? "channel-email-error" : undefined}
                className={input}
              />
              {errors.email || save.error ? (
                <p id="channel-email-error" className="mt-1 text-sm text-red-700">
                  {errors.email ?? save.error?.message}
                </p>
              ) : null}
            </div>
            <label className="flex items-center gap-2 self-end pb-2 text-sm">
              <input type="checkbox" name="digest" /> One daily digest instead of a message per alert
            </label>
          </>
        )}
        <div className="sm:col-span-2">
          <button
            type="submit"
            disabled={save.isPending}
            className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
          >
            Add channel
          </button>
        </div>
      </form>
    </section>
  );
}

function Deliveries() {
  const utils = api.useUtils();
  const { canChange } = useMe();
  const deliveries = api.alerts.deliveries.useQuery(
    { limit: 50 },
    { refetchInterval: pollEvery(5_000, (data) => data.some((d) => d.status === "PENDING" || d.status === "SENDING")) },
  );
  const retry = api.alerts.retryDelivery.useMutation({ onSuccess: () => utils.alerts.deliveries.invalidate() });
  return (
    <section aria-labelledby="deliveries-heading" className="space-y-3">
      <h2 id="deliveries-heading" className="text-lg font-semibold">
        Delivery log
      </h2>
      <p className="text-sm text-slate-600">
        Every message to a channel and each attempt at it. A failed attempt is tried again after a pause (30 s, then
        longer); a retry carries the same id, so a receiver can drop a copy.
      </p>
      {deliveries.isPending ? (
        <Loading what="deliveries" />
      ) : deliveries.error ? (
        <LoadError what="the delivery log" error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="deliveries-empty">
          Nothing sent yet.
        </p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2 pr-3 font-medium">When</th>
                <th className="py-2 pr-3 font-medium">Channel</th>
                <th className="py-2 pr-3 font-medium">Message</th>
                <th className="py-2 pr-3 font-medium">Status</th>
                <th className="py-2 pr-3 font-medium">Attempts</th>
                <th className="py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {deliveries.data.map((d) => (
                <tr key={d.id} data-testid="delivery" className="align-top">
                  <td className="whitespace-nowrap py-2 pr-3">
                    <Time value={d.createdAt} />
                  </td>
                  <td className="py-2 pr-3">
                    {d.channel.name}
                    <span className="block text-xs text-slate-500">{CHANNEL_KINDS[d.channel.kind].label}</span>
                  </td>
                  <td className="py-2 pr-3">
                    <span className="text-xs text-slate-500">{PURPOSE_LABEL[d.purpose]}: </span>
                    {d.title}
                    <span className="block font-mono text-xs text-slate-500">{d.id}</span>
                  </td>
                  <td className="py-2 pr-3">
                    <ToneChip tone={DELIVERY_TONE[d.status]} testId="delivery-status">
                      {DELIVERY_LABEL[d.status]}
                    </ToneChip>
                    {d.status === "PENDING" && d.attempts > 0 ? (
                      <span className="block text-xs text-slate-500">
                        next try <Time value={d.nextAttemptAt} relative />
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3 text-xs">
                    {d.attemptsLog.length === 0 ? (
                      <span className="text-slate-500">none yet</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {d.attemptsLog.map((a) => (
                          <li key={a.id}>
                            <Time value={a.attemptedAt} /> · {a.ok ? "ok" : "failed"}
                            {a.statusCode ? ` · HTTP ${a.statusCode}` : ""}
                            {a.error ? <span className="block text-red-700">{a.error}</span> : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="py-2 text-right">
                    {canChange && d.status === "FAILED" ? (
                      <button type="button" className={button} onClick={() => retry.mutate({ id: d.id })}>
                        Retry
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
