import path from "node:path";
import { defineConfig } from "vitest/config";

// `npm run test:chaos`: the crash, restart and rolling-restart drills (real processes, real
// databases, the production build). One file at a time: they load the machine on purpose.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["tests/chaos/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    setupFiles: ["tests/helpers/setup-env.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
