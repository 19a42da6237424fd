import { expect, test } from "@playwright/test";

test("GET /api/health answers for load balancers without auth, with each check", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.checks.database.status).toBe("ok");
  expect(body.checks.scheduler.status).toBe("ok"); // the engine runs inside this server
  expect(["ok", "degraded"]).toContain(body.status);
});

test("GET /api/metrics is Prometheus text that parses, with the scheduler's series", async ({ request }) => {
  expect((await request.get("/api/trpc/system.status")).status()).toBe(200); // a public procedure: one API latency sample
  const response = await request.get("/api/metrics");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.]+(e[+-]?\d+)?|NaN|[+-]Inf)$/;
  for (const line of text.split("\n").filter(Boolean)) {
    if (line.startsWith("#")) expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
    else expect(line, line).toMatch(sample);
  }
  for (const name of ["scheduler_runs", "scheduler_queue_age_seconds", "scheduler_lease_recoveries", "scheduler_active_runs", "scheduler_run_duration_seconds_bucket", "api_request_duration_seconds_bucket"]) {
    expect(text).toContain(`\n${name}`);
  }
});
