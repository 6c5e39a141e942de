import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyError, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../../domain/errors.js";
import { createImportJob } from "../../../domain/leads/importJobs.js";
import { ImportRunner } from "../../../domain/leads/importRunner.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

/** The largest CSV body this route takes (the rest of the API stops at 1 MiB). */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
const CSV_TYPES = ["text/csv", "application/csv"];

const queuedSchema = z.object({
  message: z.literal("Import queued."),
  id: z.string(),
  status: z.literal("queued"),
  columns: z.record(z.string(), z.string()),
});
export type ImportLeadsResponse = z.output<typeof queuedSchema>;

const querystring = z.strictObject({
  profile: z.string().min(1, "must name an existing profile").max(200),
  dryRun: z
    .enum(["true", "false"], { message: 'must be "true" or "false"' })
    .optional()
    .transform((value) => value === "true"),
  map: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .describe(
      "`column=field` (repeatable): firstName, lastName, name, phone, email, timeZone, externalLeadId, additionalInfo[.key] or skip",
    ),
  defaultCountry: z
    .string()
    .max(2)
    .optional()
    .describe("ISO country code: phones without a leading + are read as this country's numbers"),
});

function isCsv(request: FastifyRequest): boolean {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return CSV_TYPES.includes(type);
}

const notCsv = () =>
  new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send the CSV file with Content-Type: text/csv.");

/**
 * `POST /v1/leads/import`: a CSV body queued as an import job and worked off in this process
 * (importRunner.ts); the answer is 202 with the job's id. The CSV parser and its 10 MiB limit
 * belong to this route's scope only: everywhere else the API still takes JSON alone (415).
 */
export const importLeadsRoute: RegisterRoute = (app, { ctx, logger }) => {
  const runner = new ImportRunner({
    ctx,
    logger,
    workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
  });
  // The API role runs imports: jobs left by a process that stopped are taken up when it is ready.
  app.addHook("onReady", async () => runner.start());
  app.addHook("onClose", async () => runner.stop());
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      CSV_TYPES,
      { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    // Said for this route; anything else goes on to the API's error handler.
    scope.setErrorHandler((error: FastifyError) => {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE")
        throw new DomainError(
          "PAYLOAD_TOO_LARGE",
          "The CSV is larger than 10 MiB: split it into several imports.",
        );
      if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") throw notCsv();
      throw error;
    });
    scope.post(
      "/leads/import",
      {
        schema: {
          tags: ["leads"],
          summary: "Import leads from a CSV file (202: an import job; follow it at /v1/leads/imports/{id})",
          description:
            "The body is the CSV file itself (`Content-Type: text/csv`, UTF-8, at most 10 MiB), its first row naming the columns. Columns are mapped to lead fields by their headers (`First Name`, `phone_number`, `Mobile`, `E-mail`, `Timezone`, `ID`, …; `map` overrides), every other column goes into additionalInfo, and each row is judged by the rules of `POST /v1/leads/create`. Phones already in the file or among the org's live leads are skipped as duplicates. `dryRun=true` judges every row and writes no lead.",
          consumes: CSV_TYPES,
          querystring,
          body: z.string(),
          response: {
            202: queuedSchema,
            ...errorResponses,
            413: errorBodySchema,
            415: errorBodySchema,
          },
        },
        preValidation: async (request) => {
          if (!isCsv(request)) throw notCsv();
        },
      },
      async (request, reply) => {
        const { id, columns } = await createImportJob(ctx, callerOf(request).orgId, {
          profile: request.query.profile,
          dryRun: request.query.dryRun,
          map: request.query.map,
          defaultCountry: request.query.defaultCountry,
          csv: request.body,
        });
        runner.kick();
        return reply
          .status(202)
          .header("location", `/v1/leads/imports/${id}`)
          .send({ message: "Import queued." as const, id, status: "queued" as const, columns });
      },
    );
  });
};
