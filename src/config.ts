import { z } from "zod";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, "must be a lowercase SQL identifier")
    .optional(),
  BOOTSTRAP_API_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFromEnv,
  RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  SECRETS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded")
    .optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, "comma-separated seconds, e.g. 5,300,1800")
    .default("5,300,1800,7200,18000,36000,36000"),
  WEBHOOK_DEFAULT_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).optional(),
  // On by default; "false" measures (or rules out) the group commit.
  SQLITE_GROUP_COMMIT: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((value) => value !== "false" && value !== "0"),
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex digits")
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_API_KEY_SID: z
    .string()
    .regex(/^SK[0-9a-fA-F]{32}$/, "must look like SK followed by 32 hex digits")
    .optional(),
  TWILIO_API_KEY_SECRET: z.string().min(1).optional(),
  TWILIO_FROM: z.string().min(1).optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, "must look like MG followed by 32 hex digits")
    .optional(),
  TWILIO_API_BASE_URL: z.url().default("https://api.twilio.com"),
  TWILIO_SENDER_ORG: z
    .string()
    .regex(/^org_[0-9a-f]{32}$/, "must be an org id (org_ followed by 32 hex digits)")
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  EMAIL_FROM: z.string().min(3).optional(),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  PROVIDER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  MESSAGE_CLAIM_LEASE_MS: z.coerce.number().int().min(500).optional(),
  MESSAGE_RECONCILE_ABSENT_AFTER_MS: z.coerce.number().int().min(0).default(36_900_000),
  MESSAGE_RECONCILE_RECHECK_MS: z.coerce.number().int().min(100).default(60_000),
  ASSISTANT_PROVIDER: z.enum(["rules", "llm"]).default("rules"),
  LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  ASSISTANT_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  ASSISTANT_LEASE_MS: z.coerce.number().int().min(1000).optional(),
});

export type DatabaseConfig =
  | { kind: "sqlite"; filename: string }
  | { kind: "postgres"; connectionString: string; schema: string | undefined };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  bootstrapApiKey: string | undefined;
  publicUrl: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  /** json: one JSON object per line (for log shippers); pretty: for a person; auto: pretty on a terminal. */
  logFormat: z.infer<typeof envSchema>["LOG_FORMAT"];
  webhookAllowPrivateTargets: boolean;
  retentionDays: number;
  /** Requests per API key per minute on /v1 (0: no limit). */
  apiRateLimitPerMinute: number;
  /** How long a browser session (the `lw_session` cookie) lasts after sign-in. */
  sessionTtlMs: number;
  /** Seals stored secrets (an org's Twilio token) when set. */
  secretsKey: Buffer | undefined;
  webhooks: {
    timeoutMs: number;
    /** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery is failed. */
    retryScheduleMs: number[];
    defaultMaxConcurrency: number;
    /** How long a worker's claim on a delivery holds before another worker may retry it. */
    leaseMs: number;
  };
  workerPollIntervalMs: number;
  /** SQLite: concurrent changes share one transaction (domain/events/groupCommit.ts). */
  sqliteGroupCommit: boolean;
  /**
   * The auth token Twilio signs inbound webhooks with (TWILIO_AUTH_TOKEN): enough on its own to
   * receive texts and status callbacks, with or without sending through Twilio.
   */
  twilioInboundAuthToken: string | undefined;
  /** Twilio when an account and credentials are set, else SMS goes to the dev sink. */
  twilio:
    | {
        accountSid: string;
        authToken: string | undefined;
        apiKeySid: string | undefined;
        apiKeySecret: string | undefined;
        from: string | undefined;
        messagingServiceSid: string | undefined;
        baseUrl: string;
        /**
         * The org that owns `from` and `messagingServiceSid` (inbound texts to them route there,
         * and only it may send from them); undefined: the default org.
         */
        senderOrgId: string | undefined;
      }
    | undefined;
  /** SMTP when SMTP_URL is set, else email goes to the dev sink. */
  smtp: { url: string; from: string } | undefined;
  providerTimeoutMs: number;
  /** Provider calls one worker has in flight at most (its marks are written only for these). */
  providerConcurrency: number;
  /** Where Twilio's REST API is, also for orgs with their own account (tests point it at a fake). */
  twilioApiBaseUrl: string;
  /** A send claimed longer ago than this without a recorded answer is settled (queued again, or `unknown`). */
  messageClaimLeaseMs: number;
  /**
   * How long after its provider call an `unknown` message the provider does not list counts as
   * never sent (and is queued again, once). Default 10 h 15 min: Twilio keeps a message in its
   * outgoing queue for up to 36,000 s (ValidityPeriod), and a queued message has no DateSent yet.
   */
  messageReconcileAbsentAfterMs: number;
  /** When a lookup failed or could not conclude yet, the reconciler asks again after this. */
  messageReconcileRecheckMs: number;
  assistant: {
    /** The brain of orgs whose settings say `server`. */
    provider: "rules" | "llm";
    /** The server's model (OpenAI Chat Completions protocol); orgs may name their own. */
    llm: { baseUrl: string; model: string; apiKey: string | undefined } | undefined;
    timeoutMs: number;
    /** Assistant jobs (reading replies, drafting messages) one worker runs at once. */
    concurrency: number;
    /** A job claimed longer ago than this without a result is claimed again (its effects are once). */
    leaseMs: number;
  };
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function parseDatabaseUrl(url: string | undefined, schema: string | undefined): DatabaseConfig {
  if (url === undefined) return { kind: "sqlite", filename: "./data/leadwire.sqlite" };
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return { kind: "postgres", connectionString: url, schema };
  }
  if (url.startsWith("sqlite:")) {
    const filename = url.slice("sqlite:".length).replace(/^\/\//, "");
    if (filename === "") throw new ConfigError("DATABASE_URL: sqlite: needs a file name");
    return { kind: "sqlite", filename };
  }
  throw new ConfigError("DATABASE_URL: use postgres://… or sqlite:<file>");
}

type Env = z.infer<typeof envSchema>;

function twilioConfig(e: Env): Config["twilio"] {
  if ((e.TWILIO_API_KEY_SID === undefined) !== (e.TWILIO_API_KEY_SECRET === undefined))
    throw new ConfigError("TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together: set both or neither");
  if (e.TWILIO_ACCOUNT_SID === undefined) {
    // Settings that only make sense for sending, without the account to send from: say so now,
    // rather than start and quietly send every SMS to the dev outbox. TWILIO_AUTH_TOKEN alone is
    // fine: it checks inbound signatures.
    const sendingOnly = (
      [
        "TWILIO_FROM",
        "TWILIO_MESSAGING_SERVICE_SID",
        "TWILIO_API_KEY_SID",
        "TWILIO_API_KEY_SECRET",
        "TWILIO_SENDER_ORG",
      ] as const
    ).filter((name) => e[name] !== undefined);
    if (sendingOnly.length > 0)
      throw new ConfigError(
        `${sendingOnly.join(", ")} ${sendingOnly.length === 1 ? "needs" : "need"} TWILIO_ACCOUNT_SID (and TWILIO_AUTH_TOKEN or an API key) to send through Twilio`,
      );
    return undefined;
  }
  const hasToken = e.TWILIO_AUTH_TOKEN !== undefined;
  const hasKey = e.TWILIO_API_KEY_SID !== undefined && e.TWILIO_API_KEY_SECRET !== undefined;
  if (!hasToken && !hasKey) {
    throw new ConfigError(
      "TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET) must be set with TWILIO_ACCOUNT_SID",
    );
  }
  if (e.TWILIO_FROM === undefined && e.TWILIO_MESSAGING_SERVICE_SID === undefined) {
    throw new ConfigError("TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID must be set with TWILIO_ACCOUNT_SID");
  }
  return {
    accountSid: e.TWILIO_ACCOUNT_SID,
    authToken: e.TWILIO_AUTH_TOKEN,
    apiKeySid: e.TWILIO_API_KEY_SID,
    apiKeySecret: e.TWILIO_API_KEY_SECRET,
    from: e.TWILIO_FROM,
    messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
    baseUrl: e.TWILIO_API_BASE_URL.replace(/\/+$/, ""),
    senderOrgId: e.TWILIO_SENDER_ORG,
  };
}

function llmConfig(e: Env): Config["assistant"]["llm"] {
  if (e.LLM_BASE_URL === undefined && e.LLM_MODEL === undefined) {
    if (e.ASSISTANT_PROVIDER === "llm")
      throw new ConfigError(
        "ASSISTANT_PROVIDER=llm needs LLM_BASE_URL and LLM_MODEL (LLM_API_KEY if the server wants one)",
      );
    return undefined;
  }
  if (e.LLM_BASE_URL === undefined || e.LLM_MODEL === undefined)
    throw new ConfigError("LLM_BASE_URL and LLM_MODEL must be set together");
  return { baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ""), model: e.LLM_MODEL, apiKey: e.LLM_API_KEY };
}

function smtpConfig(e: Env): Config["smtp"] {
  if (e.SMTP_URL === undefined) return undefined;
  if (e.EMAIL_FROM === undefined) throw new ConfigError("EMAIL_FROM must be set with SMTP_URL");
  return { url: e.SMTP_URL, from: e.EMAIL_FROM };
}

/** The only place that reads the environment: parse once, fail fast with every bad variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL, e.DATABASE_SCHEMA),
    bootstrapApiKey: e.BOOTSTRAP_API_KEY,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    retentionDays: e.RETENTION_DAYS,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    secretsKey: e.SECRETS_KEY === undefined ? undefined : Buffer.from(e.SECRETS_KEY, "base64"),
    webhooks: {
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE.split(",").map((s) => Math.round(Number(s) * 1000)),
      defaultMaxConcurrency: e.WEBHOOK_DEFAULT_MAX_CONCURRENCY,
      leaseMs: e.WEBHOOK_LEASE_MS ?? e.WEBHOOK_TIMEOUT_MS + 15_000,
    },
    workerPollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    sqliteGroupCommit: e.SQLITE_GROUP_COMMIT,
    twilioInboundAuthToken: e.TWILIO_AUTH_TOKEN,
    twilio: twilioConfig(e),
    smtp: smtpConfig(e),
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    providerConcurrency: e.PROVIDER_CONCURRENCY,
    twilioApiBaseUrl: e.TWILIO_API_BASE_URL.replace(/\/+$/, ""),
    messageClaimLeaseMs: e.MESSAGE_CLAIM_LEASE_MS ?? e.PROVIDER_TIMEOUT_MS + 60_000,
    messageReconcileAbsentAfterMs: e.MESSAGE_RECONCILE_ABSENT_AFTER_MS,
    messageReconcileRecheckMs: e.MESSAGE_RECONCILE_RECHECK_MS,
    assistant: {
      provider: e.ASSISTANT_PROVIDER,
      llm: llmConfig(e),
      timeoutMs: e.LLM_TIMEOUT_MS,
      concurrency: e.ASSISTANT_CONCURRENCY,
      // Two model calls (an answer and its one retry) and a rewrite, with room to record them.
      leaseMs: e.ASSISTANT_LEASE_MS ?? e.LLM_TIMEOUT_MS * 4 + 30_000,
    },
  };
}
