import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3123);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium; Playwright never downloads a browser here (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // The production build, on its own fresh SQLite database (migrated and seeded on start).
    command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db",
      AUTH_SECRET: "e2e-auth-secret-e2e-auth-secret-0123456789",
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
      SEED_ON_START: "true",
      // The local provider (platform APIs and sample sites) inside the server, on its own port.
      LOCAL_PROVIDER: "true",
      LOCAL_PROVIDER_PORT: process.env.E2E_PROVIDER_PORT ?? "3998",
    },
  },
});
