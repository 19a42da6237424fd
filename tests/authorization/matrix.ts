/**
 * The authorization matrix as data, shared by the vitest suites (tests/integration/authorization.test.ts,
 * route-matrix.test.ts) and the browser suite (e2e/route-authorization.spec.ts): every tRPC procedure,
 * every REST facade path, every route handler under src/app/api and every server action, each with the
 * rule it must enforce. The tests check that these lists name exactly what exists, so a new procedure,
 * path, route or action fails until it is listed here with its rule.
 */

export interface Ids {
  task: string;
  failedTask: string;
  pausedTask: string;
  log: number;
  website: string;
  alert: string;
  token: string;
  user: string;
  channel: string;
  delivery: string;
  view: string;
}
export type Access = "public" | "user" | "admin";
export interface Entry {
  access: Access;
  /** A mutation (changes something): refused to a viewer. Checked against the router. */
  mutation?: true;
  /** An input that passes validation. */
  valid?: (ids: Ids) => unknown;
  /** The owner's ids, used by someone else: NOT_FOUND (or, for list filters, nothing of the owner's). */
  foreign?: (ids: Ids) => unknown;
  foreignAnswer?: "NOT_FOUND" | "EMPTY";
}

export const MATRIX: Record<string, Entry> = {
  "dashboard.overview": { access: "user", valid: () => ({ days: 7 }) },
  "dashboard.charts": { access: "user", valid: () => ({ range: "7d" }) },
  "dashboard.jobs": { access: "user", valid: () => ({}) },
  "dashboard.jobOwnerSites": {
    access: "user",
    valid: (i) => ({ userIds: [i.user] }),
    foreign: (i) => ({ userIds: [i.user] }),
    foreignAnswer: "EMPTY",
  },
  "dashboard.recentSchedulerLogs": { access: "user", valid: () => ({}) },
  "dashboard.cumulativeStats.reconcile": { mutation: true, access: "admin", valid: () => ({ apply: false }) },
  "monitoring.executionLog": {
    access: "user",
    valid: (i) => ({ id: i.log }),
    foreign: (i) => ({ id: i.log }),
    foreignAnswer: "NOT_FOUND",
  },
  "monitoring.executionLogs": {
    access: "user",
    valid: () => ({}),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "EMPTY",
  },
  "monitoring.eventHistory": { access: "user", valid: () => ({}) },
  "monitoring.eventLogStats": { access: "user", valid: () => undefined },
  "monitoring.cleanupEventLogs": {
    mutation: true,
    access: "admin",
    valid: () => ({ olderThanDays: 90, dryRun: true }),
  },
  "monitoring.platformInsightsLogs": {
    access: "user",
    valid: () => ({}),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "EMPTY",
  },
  "monitoring.websiteAnalysisLogs": {
    access: "user",
    valid: () => ({}),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "EMPTY",
  },
  "monitoring.oauthTokenLogs": {
    access: "user",
    valid: () => ({}),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "EMPTY",
  },
  "tasks.list": { access: "user" },
  "tasks.needingIntervention": { access: "user" },
  "tasks.attention": { access: "user" },
  "tasks.overdue": { access: "user" },
  "tasks.interventionSummary": { access: "user" },
  "tasks.manualTrigger": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.task }),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.retry": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.failedTask }),
    foreign: (i) => ({ taskId: i.failedTask }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.bulkTrigger": { mutation: true, access: "user", valid: () => ({ confirm: false }) },
  "tasks.bulkAction": { mutation: true, access: "user", valid: () => ({ action: "pause", confirm: false }) },
  "tasks.setGrace": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.task, graceMinutes: 30 }),
    foreign: (i) => ({ taskId: i.task, graceMinutes: 30 }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.updateSchedule": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.task, schedule: { kind: "cron", expression: "0 6 * * *", timeZone: "Europe/Berlin" } }),
    foreign: (i) => ({ taskId: i.task, schedule: { kind: "interval", minutes: 120 } }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.setPaused": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.task, paused: true }),
    foreign: (i) => ({ taskId: i.task, paused: true }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.pause": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.task }),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.resume": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.pausedTask }),
    foreign: (i) => ({ taskId: i.pausedTask }),
    foreignAnswer: "NOT_FOUND",
  },
  "tasks.history": {
    access: "user",
    valid: (i) => ({ taskId: i.task }),
    foreign: (i) => ({ taskId: i.task }),
    foreignAnswer: "NOT_FOUND",
  },
  "platform.connections": { access: "user" },
  "platform.insightsStatus": { access: "user" },
  "platform.websiteAnalysisStatus": { access: "user" },
  "platform.oauthTokenStatus": { access: "user" },
  // Platforms are named, not numbered: "GSC" names the caller's own connection, which the intruder lacks.
  "platform.refreshToken": {
    mutation: true,
    access: "user",
    valid: () => ({ platform: "GSC" }),
    foreign: () => ({ platform: "GSC" }),
    foreignAnswer: "NOT_FOUND",
  },
  "platform.monitoringSummary": { access: "user" },
  "platform.health": { access: "user" },
  "platform.available": { access: "user" },
  "platform.alerts": { access: "user" },
  "platform.dismissAlert": {
    mutation: true,
    access: "user",
    valid: (i) => ({ alertId: i.alert }),
    foreign: (i) => ({ alertId: i.alert }),
    foreignAnswer: "NOT_FOUND",
  },
  "platform.disconnect": {
    mutation: true,
    access: "user",
    valid: () => ({ platform: "GSC" }),
    foreign: () => ({ platform: "GSC" }),
    foreignAnswer: "NOT_FOUND",
  },
  "platform.websites": { access: "user" },
  "platform.addWebsite": {
    mutation: true,
    access: "user",
    valid: () => ({ url: "https://new.example/", role: "COMPETITOR" }),
  },
  "platform.removeWebsite": {
    mutation: true,
    access: "user",
    valid: (i) => ({ websiteId: i.website }),
    foreign: (i) => ({ websiteId: i.website }),
    foreignAnswer: "NOT_FOUND",
  },
  "platform.reconcile": { mutation: true, access: "user" },
  "system.me": { access: "user" },
  // A subscription: a read (a viewer may listen), each caller hears only of their own rows.
  "live.events": { access: "user", valid: () => ({}) },
  "system.status": { access: "public" },
  "system.health": { access: "public" },
  "system.metrics": { access: "public" },
  "system.config": { access: "admin" },
  "system.users.list": { access: "admin" },
  "system.users.setRole": { mutation: true, access: "admin", valid: (i) => ({ userId: i.user, role: "USER" }) },
  "system.apiTokens.list": { access: "user" },
  "system.apiTokens.create": { mutation: true, access: "user", valid: () => ({ name: "ci" }) },
  "system.apiTokens.revoke": {
    mutation: true,
    access: "user",
    valid: (i) => ({ tokenId: i.token }),
    foreign: (i) => ({ tokenId: i.token }),
    foreignAnswer: "NOT_FOUND",
  },
  "system.scheduler": { access: "user" },
  "alerts.rules": { access: "user" },
  "alerts.updateRule": {
    mutation: true,
    access: "user",
    valid: (i) => ({ kind: "TASK_LATE", channelIds: [i.channel] }),
    // Another user's channel on one's own rule.
    foreign: (i) => ({ kind: "TASK_LATE", channelIds: [i.channel] }),
    foreignAnswer: "NOT_FOUND",
  },
  "alerts.snooze": {
    mutation: true,
    access: "user",
    valid: (i) => ({ taskId: i.task, until: new Date(Date.now() + 3_600_000) }),
    foreign: (i) => ({ taskId: i.task, until: new Date(Date.now() + 3_600_000) }),
    foreignAnswer: "NOT_FOUND",
  },
  "alerts.channels": { access: "user" },
  "alerts.saveChannel": {
    mutation: true,
    access: "user",
    valid: () => ({ kind: "SLACK", name: "team", url: "https://hooks.slack.com/services/T/B/x" }),
    foreign: (i) => ({ id: i.channel, kind: "WEBHOOK", name: "mine now", url: "https://hooks.example/x" }),
    foreignAnswer: "NOT_FOUND",
  },
  "alerts.testChannel": {
    mutation: true,
    access: "user",
    valid: (i) => ({ id: i.channel }),
    foreign: (i) => ({ id: i.channel }),
    foreignAnswer: "NOT_FOUND",
  },
  "alerts.removeChannel": {
    mutation: true,
    access: "user",
    valid: (i) => ({ id: i.channel }),
    foreign: (i) => ({ id: i.channel }),
    foreignAnswer: "NOT_FOUND",
  },
  "alerts.inbox": { access: "user", valid: () => ({}) },
  "alerts.unreadCount": { access: "user" },
  "alerts.markRead": {
    mutation: true,
    access: "user",
    valid: (i) => ({ ids: [i.alert] }),
    foreign: (i) => ({ ids: [i.alert] }),
    foreignAnswer: "NOT_FOUND",
  },
  "alerts.deliveries": { access: "user", valid: () => ({}) },
  "alerts.retryDelivery": {
    mutation: true,
    access: "user",
    valid: (i) => ({ id: i.delivery }),
    foreign: (i) => ({ id: i.delivery }),
    foreignAnswer: "NOT_FOUND",
  },
  "views.list": { access: "user" },
  // Saving makes or replaces the caller's own view (by name): there is no one else's to reach.
  "views.save": {
    mutation: true,
    access: "user",
    valid: () => ({ page: "logs", name: "Failed", query: "status=FAILED" }),
  },
  "views.rename": {
    mutation: true,
    access: "user",
    valid: (i) => ({ id: i.view, name: "Renamed" }),
    foreign: (i) => ({ id: i.view, name: "Mine now" }),
    foreignAnswer: "NOT_FOUND",
  },
  "views.delete": {
    mutation: true,
    access: "user",
    valid: (i) => ({ id: i.view }),
    foreign: (i) => ({ id: i.view }),
    foreignAnswer: "NOT_FOUND",
  },
};

/** REST facade paths (method + path template) with the access each must enforce. */
export const REST: Record<string, { access: Access; foreignUserPath?: boolean }> = {
  "GET /dashboard": { access: "user" },
  "GET /jobs": { access: "user" },
  "GET /execution-logs": { access: "user" },
  "GET /event-history": { access: "user" },
  "GET /recent-scheduler-logs": { access: "user" },
  "POST /dashboard/cumulative-stats/reconcile": { access: "admin" },
  "GET /event-logs/stats": { access: "user" },
  "POST /cleanup-event-logs": { access: "admin" },
  "GET /tasks-needing-intervention/{user_id}": { access: "user", foreignUserPath: true },
  "GET /task-intervention/summary/{user_id}": { access: "user", foreignUserPath: true },
  "POST /tasks/{task_type}/{task_id}/manual-trigger": { access: "user" },
  "POST /website-analysis/retry/{task_id}": { access: "user" },
  "GET /platform-insights/status/{user_id}": { access: "user", foreignUserPath: true },
  "GET /platform-insights/logs/{user_id}": { access: "user", foreignUserPath: true },
  "GET /website-analysis/status/{user_id}": { access: "user", foreignUserPath: true },
  "GET /website-analysis/logs/{user_id}": { access: "user", foreignUserPath: true },
  "POST /platform-insights/reconcile/{user_id}": { access: "user", foreignUserPath: true },
  "GET /platform-monitoring/summary/{user_id}": { access: "user", foreignUserPath: true },
  "GET /platform-monitoring/health/{user_id}": { access: "user", foreignUserPath: true },
  "GET /status": { access: "public" },
  "GET /health": { access: "public" },
  "GET /config": { access: "admin" },
  "GET /metrics": { access: "public" },
};

/**
 * Route handlers (every `route.ts` under src/app, by its path there) and the rule each enforces:
 * - "anonymous": open to anyone, and answers nothing user-specific;
 * - "user": a signed-in user, refused (nothing changed) to a read-only viewer and to anyone signed out;
 *   `foreignState` means another user's request (their signed OAuth state) is refused too;
 * - "reader": a read for any signed-in user, the read-only viewer included (session cookie or Bearer API
 *   token), refused to anyone signed out (401); each caller gets only their own rows, an admin everyone's;
 * - "procedures" / "rest": a dispatcher whose every procedure or path has its own rule in MATRIX / REST.
 * `sample` is a concrete URL to exercise it over HTTP.
 */
export type RouteRule = "anonymous" | "user" | "reader" | "procedures" | "rest";
export const ROUTE_MATRIX: Record<
  string,
  { methods: ("GET" | "POST" | "PUT" | "PATCH" | "DELETE")[]; rule: RouteRule; sample: string; foreignState?: boolean }
> = {
  "api/auth/[...nextauth]/route.ts": { methods: ["GET", "POST"], rule: "anonymous", sample: "/api/auth/session" },
  "api/connections/[platform]/authorize/route.ts": {
    methods: ["GET"],
    rule: "user",
    sample: "/api/connections/bing/authorize",
  },
  "api/connections/[platform]/callback/route.ts": {
    methods: ["GET"],
    rule: "user",
    sample: "/api/connections/bing/callback?code=forged&state=forged",
    foreignState: true,
  },
  "api/export/events/route.ts": { methods: ["GET"], rule: "reader", sample: "/api/export/events?format=csv&days=90" },
  "api/export/execution-logs/route.ts": {
    methods: ["GET"],
    rule: "reader",
    sample: "/api/export/execution-logs?format=csv",
  },
  "api/health/route.ts": { methods: ["GET"], rule: "anonymous", sample: "/api/health" },
  "api/metrics/route.ts": { methods: ["GET"], rule: "anonymous", sample: "/api/metrics" },
  "api/openapi.json/route.ts": { methods: ["GET"], rule: "anonymous", sample: "/api/openapi.json" },
  "api/ping/route.ts": { methods: ["GET"], rule: "anonymous", sample: "/api/ping" },
  "api/scheduler/[...path]/route.ts": {
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    rule: "rest",
    sample: "/api/scheduler/dashboard",
  },
  "api/trpc/[trpc]/route.ts": { methods: ["GET", "POST"], rule: "procedures", sample: "/api/trpc/system.me" },
};

/**
 * Server actions (every export of a "use server" file, by file#name): all of them are the sign-in
 * flow, which is for people who are not signed in yet ("anonymous"); none reads or changes a user's data.
 */
export const SERVER_ACTIONS: Record<string, "anonymous"> = {
  "app/actions/auth.ts#signInAction": "anonymous",
  "app/actions/auth.ts#signUpAction": "anonymous",
  "app/actions/auth.ts#signOutAction": "anonymous",
  "app/actions/auth.ts#oauthSignInAction": "anonymous",
};
