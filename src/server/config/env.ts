import { z } from "zod";
import { alertsEnvSchema } from "./alerts";
import { integrationsEnvSchema } from "./integrations";
import { schedulerEnvSchema } from "./scheduler";

/**
 * Server configuration, validated once at start-up. A bad value stops the process with a message
 * naming the variable, instead of a crash somewhere later.
 */

const flag = (defaultValue: boolean) =>
  z
    .enum(["true", "false", "1", "0", "on", "off", "yes", "no"], {
      error: "must be one of true/false, 1/0, on/off, yes/no",
    })
    .optional()
    .transform((v) => (v === undefined ? defaultValue : ["true", "1", "on", "yes"].includes(v)));

const base64Key = z.string().refine((v) => Buffer.from(v, "base64").length === 32, {
  message: "must be 32 bytes encoded in base64 (generate one with `openssl rand -base64 32`)",
});

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const HEAP_MESSAGE = "must be a whole number of megabytes from 128 to 65536 (the server's heap limit under npm start)";

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .default("file:./data/app.db")
      .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
        message: 'must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)',
      }),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
    TOKEN_ENCRYPTION_KEY: base64Key,
    // Earlier keys (comma-separated, base64), still accepted for decryption during key rotation.
    TOKEN_ENCRYPTION_OLD_KEYS: optionalText.refine(
      (v) => v === undefined || v.split(",").every((k) => Buffer.from(k.trim(), "base64").length === 32),
      { message: "must be a comma-separated list of 32-byte base64 keys" },
    ),
    /**
     * When set, `/api/metrics` answers only `Authorization: Bearer <this>` (401 otherwise); unset, it is public.
     * Visible ASCII without spaces, as an HTTP header carries it.
     */
    METRICS_TOKEN: optionalText.refine((v) => v === undefined || /^[\x21-\x7E]{32,}$/.test(v), {
      message: "must be at least 32 characters, without spaces (generate one with `openssl rand -hex 32`)",
    }),
    AUTH_GITHUB_ID: optionalText,
    AUTH_GITHUB_SECRET: optionalText,
    AUTH_GOOGLE_ID: optionalText,
    AUTH_GOOGLE_SECRET: optionalText,
    SEED_ADMIN_EMAIL: z.email().default("admin@example.com"),
    SEED_ADMIN_PASSWORD: z.string().min(8).default("admin-password"),
    SEED_DEMO_EMAIL: z.email().default("demo@example.com"),
    SEED_DEMO_PASSWORD: z.string().min(8).default("demo-password"),
    SEED_VIEWER_EMAIL: z.email().default("viewer@example.com"),
    SEED_VIEWER_PASSWORD: z.string().min(8).default("viewer-password"),
    SEED_ON_START: flag(true),
    SCHEDULER_ENABLE_DASHBOARD: flag(true),
    SCHEDULER_ENABLE_MONITORING: flag(true),
    SCHEDULER_ENABLE_TASKS: flag(true),
    SCHEDULER_ENABLE_PLATFORM: flag(true),
    SCHEDULER_ENABLED: flag(true),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /**
     * The V8 old-space limit `npm start` gives the server (`--max-old-space-size`, package.json). The shell
     * reads it from the environment before this runs; an empty value means the default there and here.
     */
    SERVER_HEAP_MB: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      z.coerce
        .number({ error: HEAP_MESSAGE })
        .int(HEAP_MESSAGE)
        .min(128, HEAP_MESSAGE)
        .max(65_536, HEAP_MESSAGE)
        .default(192),
    ),
    /** Mutations one user may make per minute (manual triggers, pauses, ...), across all instances on PostgreSQL. */
    RATE_LIMIT_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    /** The most jobs one bulk action (Jobs' "with all matching") may change; a filter matching more is refused. */
    BULK_ACTION_MAX_TASKS: z.coerce.number().int().min(1).max(100_000).default(500),
    /** Procedure calls that read one user may make per minute (a polling page makes about 100), across instances. */
    RATE_LIMIT_READS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
    /**
     * How many proxies in front of the server append to X-Forwarded-For; the client address of the sign-in
     * limit is read that many hops from the right. 0 (the default): the socket's peer, the header ignored.
     */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /** On SIGTERM, how long HTTP requests in flight may take to finish before their connections are cut. */
    HTTP_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
    /** On SIGTERM, how long /api/health answers 503 "draining" while still serving, before the listener closes. */
    HTTP_DRAIN_ANNOUNCE_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    LOGIN_LOCKOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
  })
  .extend(schedulerEnvSchema.shape)
  .extend(integrationsEnvSchema.shape)
  .extend(alertsEnvSchema.shape)
  .refine((e) => Boolean(e.AUTH_GITHUB_ID) === Boolean(e.AUTH_GITHUB_SECRET), {
    message: "AUTH_GITHUB_ID and AUTH_GITHUB_SECRET must be set together",
    path: ["AUTH_GITHUB_SECRET"],
  })
  .refine((e) => !(e.FETCH_ALLOW_PRIVATE_NETWORKS && e.NODE_ENV === "production"), {
    message: "is a development flag: it is refused when NODE_ENV=production",
    path: ["FETCH_ALLOW_PRIVATE_NETWORKS"],
  })
  .refine((e) => Boolean(e.AUTH_GOOGLE_ID) === Boolean(e.AUTH_GOOGLE_SECRET), {
    message: "AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET must be set together",
    path: ["AUTH_GOOGLE_SECRET"],
  });

export type Env = z.infer<typeof envSchema>;

/**
 * Every variable the configuration reads, in schema order: the keys of this schema, which includes the
 * scheduler's and the integrations' (README's configuration table must list exactly these; tests/unit/docs.test.ts).
 */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export class EnvError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      "Invalid environment configuration:\n" +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n") +
        "\nSet these in .env.local (or the process environment) and start again.",
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: issue.path.map(String).join(".") || "(environment)",
        message: issue.message,
      })),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment; parsed on first use and then kept. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

/** The four switchable features (SCHEDULER_ENABLE_*), each a tRPC sub-router, REST paths, pages and links. */
export const FEATURES = ["dashboard", "monitoring", "tasks", "platform"] as const;
export type Feature = (typeof FEATURES)[number];

/** Which features this instance serves: the one map every router, page, link and REST path reads. */
export function features(
  e: Pick<
    Env,
    | "SCHEDULER_ENABLE_DASHBOARD"
    | "SCHEDULER_ENABLE_MONITORING"
    | "SCHEDULER_ENABLE_TASKS"
    | "SCHEDULER_ENABLE_PLATFORM"
  > = env(),
): Record<Feature, boolean> {
  return {
    dashboard: e.SCHEDULER_ENABLE_DASHBOARD,
    monitoring: e.SCHEDULER_ENABLE_MONITORING,
    tasks: e.SCHEDULER_ENABLE_TASKS,
    platform: e.SCHEDULER_ENABLE_PLATFORM,
  };
}
