import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import boundaries from "eslint-plugin-boundaries";
import prettier from "eslint-config-prettier";

/**
 * The layers (docs/ARCHITECTURE.md): imports point down, so a backward import fails lint.
 * First match wins; paths are from the repository root.
 */
const LAYERS = [
  // Entry points Next.js and Node start: pages, route handlers, the proxy, instrumentation, the worker.
  { type: "actions", pattern: "src/app/actions/**" }, // server actions: the forms' RPC, like tRPC
  { type: "app", pattern: ["src/app/**", "src/proxy.ts", "src/instrumentation.ts", "src/worker.ts"] },
  { type: "components", pattern: "src/components/**" },
  { type: "trpc", pattern: "src/trpc/**" },
  {
    type: "api",
    pattern: [
      "src/server/api/**",
      "src/server/rest/**",
      "src/server/http/**",
      "src/server/auth.ts",
      "src/server/session.ts",
    ],
  },
  { type: "runtime", pattern: "src/server/runtime/**" }, // start-up wiring: builds the engine, keyring, integrations
  { type: "demo", pattern: "src/demo/**" }, // the demo's seed and local provider: only runtime and tests load it
  { type: "services", pattern: "src/server/services/**" },
  { type: "scheduler", pattern: "src/server/scheduler/**" },
  { type: "integrations", pattern: "src/server/integrations/**" },
  { type: "config", pattern: "src/server/config/**" }, // a leaf every server layer reads
  { type: "enums", pattern: "src/generated/*/enums.ts" }, // Prisma's enums: types every layer may share
  { type: "db", pattern: ["src/server/*.ts", "src/generated/**"] }, // db, sql, migrate, crypto, errors, metrics, logger
  { type: "lib", pattern: "src/lib/**" }, // client-safe: schemas, labels, states
  { type: "dev", pattern: "dev/**" }, // the local provider: development tooling
].map((element) => ({ ...element, mode: "full" }));

/** What each layer may import (besides itself). */
const MAY_IMPORT = {
  app: [
    "actions",
    "components",
    "trpc",
    "api",
    "runtime",
    "services",
    "scheduler",
    "integrations",
    "config",
    "db",
    "lib",
  ],
  components: ["actions", "trpc", "lib"],
  actions: ["api", "services", "config", "db", "lib"],
  trpc: ["api", "lib"],
  api: ["runtime", "services", "scheduler", "integrations", "config", "db", "lib"],
  runtime: ["demo", "services", "scheduler", "integrations", "config", "db", "lib"],
  demo: ["dev", "services", "scheduler", "integrations", "config", "db", "lib"],
  services: ["scheduler", "integrations", "config", "db", "lib"],
  scheduler: ["integrations", "config", "db", "lib"],
  integrations: ["config", "db", "lib"],
  db: ["config", "lib"],
  config: ["lib"],
  lib: [],
  enums: [],
  dev: [],
};

const config = [
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "src/generated/**",
      "next-env.d.ts",
      "playwright-report/**",
      "test-results/**",
      "bench/results/**",
      "data/**",
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**/*.ts", "src/**/*.tsx", "dev/**/*.ts"],
    plugins: { boundaries },
    settings: {
      "import/resolver": { typescript: { project: "./tsconfig.json" }, node: true },
      "boundaries/elements": LAYERS,
      // package.json (the version shown by /status) is data, not a layer.
      "boundaries/ignore": ["package.json"],
      // Matching a whole path from the root (mode "full") is the only way v7 classifies single files
      // (src/server/auth.ts, src/worker.ts) as well as folders; its successor, partialMatch, is folders only.
      "boundaries/legacy-warnings": false,
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          policies: Object.entries(MAY_IMPORT).map(([from, to]) => ({
            from: { element: { type: from } },
            allow: { to: { element: { types: { anyOf: [from, "enums", ...to] } } } },
          })),
        },
      ],
      "boundaries/no-unknown-files": "error",
    },
  },
  {
    // What the navigation and the overview carry into every dashboard page stays free of the validation
    // library (zod is ~30 KB gzip of the route's first load: bench/page.ts holds it to 200 KB).
    files: [
      "src/lib/views.ts",
      "src/lib/platforms.ts",
      "src/lib/chart-range.ts",
      "src/lib/states.ts",
      "src/lib/labels.ts",
      "src/lib/task-kinds.ts",
      "src/lib/format.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["zod", "zod/*"], message: "Client-safe module: no zod here (see src/lib/validation/)." },
            {
              group: ["./validation/*", "@/lib/validation/*"],
              message:
                "Client-safe module: the schemas live in src/lib/validation/ and import from here, not the reverse.",
            },
          ],
        },
      ],
    },
  },
  // Layout is Prettier's (npm run format); no lint rule argues with it.
  prettier,
];
export default config;
