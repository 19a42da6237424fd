import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/chaos/**", "**/node_modules/**"], // `npm run test:chaos` (vitest.chaos.config.mts)
    environment: "node",
    pool: "forks",
    setupFiles: ["tests/helpers/setup-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
