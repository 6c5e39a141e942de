import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import type { DomainContext } from "./domain/context.js";
import { ClockQueue } from "./domain/events/clockQueue.js";
import { GroupCommit } from "./domain/events/groupCommit.js";
import { LeadChangeBatches } from "./domain/events/leadChangeBatches.js";
import { OrgWorkBatches } from "./domain/events/orgWork.js";
import { LeadCreateBatches } from "./domain/leads/leadCreateBatches.js";
import { VersionedLeadReads } from "./domain/leads/versionedLeadReads.js";
import { InboundTextBatches } from "./domain/messages/inboundTextBatches.js";
import { claimServerSmsSenders } from "./domain/messages/serverSmsSenders.js";
import { API_KEYS_CHANNEL, ApiKeyCache } from "./domain/orgs/apiKeyCache.js";
import { ensureBootstrapKey, ensureFirstAdminKey } from "./domain/orgs/orgs.js";
import { sharedReads } from "./domain/turnReads.js";
import { buildHttpServer } from "./http/server.js";
import type { ZodApp } from "./http/types.js";
import { AssistantWorker } from "./jobs/assistant/assistantWorker.js";
import { FollowUpScheduler } from "./jobs/followups/followUpScheduler.js";
import { MessageReconciler } from "./jobs/messages/messageReconciler.js";
import { MessageSender } from "./jobs/messages/messageSender.js";
import { listenForNotifications } from "./jobs/pgListener.js";
import { QueueVacuum } from "./jobs/queueVacuum.js";
import { RetentionPruner } from "./jobs/retention.js";
import { WakeSignal } from "./jobs/wakeSignal.js";
import { WebhookDispatcher } from "./jobs/webhooks/webhookDispatcher.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { createAssistantChooser } from "./providers/assistant/chooseAssistant.js";
import { createPublicOnlyFetch } from "./providers/assistant/publicOnlyFetch.js";
import { createHttpComplianceChecker } from "./providers/compliance/httpComplianceChecker.js";
import { outboundUrlCheck } from "./providers/http/addressPolicy.js";
import { createMessageProviders } from "./providers/messageProviders.js";
import { createHttpWebhookTransport } from "./providers/webhooks/httpWebhookTransport.js";
import { createSecretBox } from "./secretBox.js";
import { VERSION } from "./version.js";

/** Works per shared SQLite transaction: enough to absorb a burst, short enough to answer soon. */
const GROUP_COMMIT_MAX_BATCH = 64;
/** PostgreSQL: lead changes of one org per shared commit (the same reasoning). */
const LEAD_CHANGE_MAX_BATCH = 64;
/** Lead creates of one org made together (on SQLite, as one work of the group commit). */
const LEAD_CREATE_MAX_BATCH = 64;
/** PostgreSQL: repeatable work of one org (the assistant's readings) per shared commit. */
const ORG_WORK_MAX_BATCH = 64;
/** Inbound texts of one org received together (on SQLite, as one work of the group commit). */
const INBOUND_TEXT_MAX_BATCH = 64;
/**
 * How long a process trusts an API key it has read without reading it again: the backstop for a
 * revocation whose NOTIFY another process missed (a revocation empties the caches at once).
 */
const API_KEY_CACHE_TTL_MS = 10_000;

/**
 * Connections kept open to one receiver origin; requests beyond them wait for a free one, so a
 * single busy receiver host cannot take every socket.
 */
const WEBHOOK_CONNECTIONS_PER_ORIGIN = 64;
/**
 * Webhook deliveries one process holds at once (sending, or queued to send), all endpoints
 * together: bounds sockets and memory whatever the endpoints' own limits add up to.
 */
const WEBHOOK_MAX_IN_FLIGHT = 512;
/**
 * PostgreSQL, API and workers in one process: the webhook dispatcher's own connections (its
 * LISTEN, its claims, its records). A burst of API requests keeps the shared pool busy, and the
 * dispatcher's writes queued behind them held up every delivery waiting to be recorded.
 */
const DISPATCHER_CONNECTIONS = 4;
/** Deliveries one claim takes at most: it stays one short transaction (a full claim is followed at once). */
const WEBHOOK_CLAIM_BATCH = 200;
/**
 * Due messages claimed, checked and recorded together (a few statements per step, whatever the
 * count); how many provider calls run at once is PROVIDER_CONCURRENCY's.
 */
const MESSAGE_SEND_BATCH = 100;
/** `unknown` messages taken at a time; they are looked up one by one, gently on the provider. */
const MESSAGE_RECONCILE_BATCH = 25;
/** Due leads turned into step messages in one transaction. */
const FOLLOW_UP_BATCH = 100;
/** Assistant jobs claimed at a time; how many run at once is ASSISTANT_CONCURRENCY's. */
const ASSISTANT_BATCH = 50;
/** Retention prunes by whole days (RETENTION_DAYS), so looking once an hour is often enough. */
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Dead row versions a queue table may hold before a worker vacuums it (PostgreSQL): a claim then
 * steps over at most a few thousand dead index entries, about a millisecond, whatever the server's
 * autovacuum settings. Looked at every 2 s, so a burst of 300 changes/s is vacuumed a few times
 * a minute; each VACUUM skips the pages untouched since the last.
 */
const QUEUE_VACUUM_DEAD_ROWS = 2000;
const QUEUE_VACUUM_INTERVAL_MS = 2000;

export type Role = "api" | "worker" | "all";

export interface AppOptions {
  role?: Role;
  clock?: Clock;
  logger?: Logger;
}

export interface App {
  config: Config;
  database: Database;
  ctx: DomainContext;
  http: ZodApp;
  logger: Logger;
  webhooks: WebhookDispatcher;
  messages: MessageSender;
  /** Settles `unknown` messages by asking their provider. */
  reconciler: MessageReconciler;
  followUps: FollowUpScheduler;
  /** Reads inbound messages and writes messages that have no template. */
  assistant: AssistantWorker;
  retention: RetentionPruner;
  /** PostgreSQL worker roles only: vacuums the churned queue tables. */
  queueVacuum: QueueVacuum | undefined;
  /** The admin key this start created (the very first start, without BOOTSTRAP_API_KEY): shown once. */
  firstAdminKey: string | undefined;
  /** Listen on config.host:config.port (api role) and start workers (worker role). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The composition root: every service is built here, once, and handed to what needs it. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const role = options.role ?? "all";
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.database);
  await migrate(database);
  const metrics = createMetrics(database);
  // One id per process: it names this process's claims (`locked_by`) in every queue.
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

  const transport = createHttpWebhookTransport({
    timeoutMs: config.webhooks.timeoutMs,
    allowPrivateTargets: config.webhookAllowPrivateTargets,
    userAgent: `Leadwire-Webhooks/${VERSION}`,
    connectionsPerOrigin: WEBHOOK_CONNECTIONS_PER_ORIGIN,
  });
  const dispatcherDatabase =
    role === "all" && database.pgPool !== undefined
      ? openDatabase(config.database, { maxConnections: DISPATCHER_CONNECTIONS })
      : database;
  const webhooks = new WebhookDispatcher({
    database: dispatcherDatabase,
    clock,
    transport,
    logger,
    metrics: metrics.webhooks,
    workerId,
    leaseMs: config.webhooks.leaseMs,
    requestTimeoutMs: config.webhooks.timeoutMs,
    retryScheduleMs: config.webhooks.retryScheduleMs,
    maxInFlight: WEBHOOK_MAX_IN_FLIGHT,
    batchSize: WEBHOOK_CLAIM_BATCH,
    pollIntervalMs: config.workerPollIntervalMs,
  });
  const runsWorkers = role !== "api";
  const retention = new RetentionPruner({
    database,
    clock,
    logger,
    retentionDays: config.retentionDays,
    intervalMs: RETENTION_INTERVAL_MS,
  });
  const queueVacuum =
    runsWorkers && database.capabilities.deadRowVersions && database.pgPool !== undefined
      ? new QueueVacuum({
          pool: database.pgPool,
          logger,
          minDeadRows: QUEUE_VACUUM_DEAD_ROWS,
          intervalMs: QUEUE_VACUUM_INTERVAL_MS,
        })
      : undefined;

  // Domain code wakes this process's workers, which are built after it, through their signals.
  const messagesDue = new WakeSignal();
  const assistantJobsDue = new WakeSignal();
  const secrets = createSecretBox(config.secretsKey);
  const ctx: DomainContext = {
    db: database.db,
    clock,
    capabilities: database.capabilities,
    // Other processes hear the NOTIFY sent in the transaction; these wake our own workers.
    wakeDispatcher: (endpointIds) => {
      if (runsWorkers) webhooks.wake(endpointIds);
    },
    wakeMessageSender: () => {
      if (runsWorkers) messagesDue.notify();
    },
    wakeAssistant: () => {
      if (runsWorkers) assistantJobsDue.notify();
    },
    secrets,
    outboundUrlProblem: outboundUrlCheck({ allowPrivateTargets: config.webhookAllowPrivateTargets }),
  };
  if (database.capabilities.singleWriter && config.sqliteGroupCommit)
    ctx.groupCommit = new GroupCommit(ctx, logger, GROUP_COMMIT_MAX_BATCH);
  if (!database.capabilities.singleWriter) {
    ctx.clockQueue = new ClockQueue();
    ctx.orgWork = new OrgWorkBatches(ctx, ORG_WORK_MAX_BATCH);
    ctx.sharedReads = sharedReads(database.db);
  }
  ctx.leadCreates = new LeadCreateBatches(ctx, LEAD_CREATE_MAX_BATCH);
  ctx.inboundTexts = new InboundTextBatches(ctx, INBOUND_TEXT_MAX_BATCH);
  if (database.capabilities.versionedLeadWrites) {
    ctx.leadChanges = new LeadChangeBatches(ctx, LEAD_CHANGE_MAX_BATCH);
    ctx.leadReads = new VersionedLeadReads(database.db);
  }
  if (runsWorkers) ctx.deliveryHandoff = webhooks;
  const apiKeys = new ApiKeyCache(API_KEY_CACHE_TTL_MS, () => clock.now().getTime());
  ctx.apiKeys = apiKeys;
  // Revocations in other processes empty this one's cache; so does every (re)connection.
  const stopKeyListener =
    role !== "worker" && database.pgPool !== undefined
      ? listenForNotifications(database.pgPool, API_KEYS_CHANNEL, () => apiKeys.clear(), logger)
      : undefined;
  const providers = createMessageProviders(config, database.db, () => clock.now(), logger, secrets);
  const compliance = createHttpComplianceChecker({
    allowPrivateTargets: config.webhookAllowPrivateTargets,
    userAgent: `Leadwire-Compliance/${VERSION}`,
  });
  const messageSender = new MessageSender({
    ctx,
    database,
    config,
    logger,
    smsFor: providers.smsFor,
    email: providers.email,
    compliance,
    workerId,
    batchSize: MESSAGE_SEND_BATCH,
    pollIntervalMs: config.workerPollIntervalMs,
    claimLeaseMs: config.messageClaimLeaseMs,
    signal: messagesDue,
  });
  const reconciler = new MessageReconciler({
    ctx,
    database,
    logger,
    smsFor: providers.smsFor,
    email: providers.email,
    batchSize: MESSAGE_RECONCILE_BATCH,
    pollIntervalMs: config.workerPollIntervalMs,
    claimLeaseMs: config.messageClaimLeaseMs,
    absentAfterMs: config.messageReconcileAbsentAfterMs,
    recheckMs: config.messageReconcileRecheckMs,
  });
  const followUps = new FollowUpScheduler({
    ctx,
    database,
    logger,
    batchSize: FOLLOW_UP_BATCH,
    pollIntervalMs: config.workerPollIntervalMs,
  });
  const orgModels = createPublicOnlyFetch({
    allowPrivateTargets: config.webhookAllowPrivateTargets,
    timeoutMs: config.assistant.timeoutMs,
  });
  const assistantFor = createAssistantChooser({
    config: config.assistant,
    secrets,
    clock,
    logger,
    orgFetch: orgModels.fetch,
  });
  const assistant = new AssistantWorker({
    ctx,
    database,
    logger,
    assistantFor,
    publicUrl: config.publicUrl,
    notifyByEmail: async (email) => {
      // Best effort, after the reading committed: the `notification` event is the durable record.
      for (const to of email.to) {
        const outcome = await providers.email.send({
          reference: undefined,
          to,
          subject: email.subject,
          text: email.text,
          replyTo: undefined,
          unsubscribeUrl: undefined,
        });
        if (outcome.kind !== "accepted")
          logger.warn({ orgId: email.orgId, to, outcome }, "a notification email was not accepted");
      }
    },
    workerId,
    batchSize: ASSISTANT_BATCH,
    pollIntervalMs: config.workerPollIntervalMs,
    concurrency: config.assistant.concurrency,
    leaseMs: config.assistant.leaseMs,
    signal: assistantJobsDue,
  });
  let firstAdminKey: string | undefined;
  if (config.bootstrapApiKey !== undefined) {
    await ensureBootstrapKey(ctx, config.bootstrapApiKey);
  } else {
    firstAdminKey = await ensureFirstAdminKey(ctx);
    if (firstAdminKey !== undefined) {
      // The key itself goes to the start banner only (main.ts), never into logs that get shipped.
      logger.warn(
        "first start: created org 'default' and its admin API key (printed once in the start banner)",
      );
    }
  }

  // After the orgs exist: the server's Twilio sender belongs to one of them (see serverSmsSenders.ts).
  for (const note of await claimServerSmsSenders(ctx, config.twilio, config.bootstrapApiKey))
    logger[note.level](note.fields, note.message);

  const http = await buildHttpServer(
    { ctx, config, database, logger, webhooks, metrics: metrics.registry, assistantFor },
    VERSION,
  );

  return {
    config,
    database,
    ctx,
    http,
    logger,
    webhooks,
    messages: messageSender,
    reconciler,
    followUps,
    assistant,
    retention,
    queueVacuum,
    firstAdminKey,
    async start() {
      if (runsWorkers) {
        webhooks.start();
        messageSender.start();
        reconciler.start();
        followUps.start();
        assistant.start();
        retention.start();
        queueVacuum?.start();
      }
      const address =
        role === "worker" ? undefined : await http.listen({ port: config.port, host: config.host });
      logger.info({ role, address, database: database.describe, version: VERSION }, "leadwire started");
    },
    async close() {
      await http.close();
      await stopKeyListener?.();
      await retention.stop();
      await queueVacuum?.stop();
      await followUps.stop();
      await assistant.stop();
      await messageSender.stop();
      await reconciler.stop();
      await webhooks.stop();
      await providers.close();
      await compliance.close();
      await orgModels.close();
      await transport.close();
      if (dispatcherDatabase !== database) await dispatcherDatabase.close();
      await database.close();
    },
  };
}
