import { z } from "zod";
import { followUpStepSchema } from "../../../domain/leads/followUpConfig.js";
import { searchLeads } from "../../../domain/leads/searchLeads.js";
import { errorResponses, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadViewSchema } from "./leadSchemas.js";

const flag = z
  .enum(["true", "false"], { message: 'must be "true" or "false"' })
  .transform((value) => value === "true")
  .optional();

const querystring = z.strictObject({
  q: z.string().max(200, "must be at most 200 characters").optional(),
  profile: z.string().min(1, "must name a profile").max(200).optional(),
  tag: z.string().min(1, "must name a tag").max(200).optional(),
  hasReplied: flag,
  isHot: flag,
  isQualified: flag,
  isUnsubscribed: flag,
  isAiOn: flag,
  followUpStep: z
    .string()
    .regex(/^-?[0-9]{1,9}$/, "must be a step number (1, 2, …), -1 or -2")
    .transform(Number)
    .pipe(followUpStepSchema)
    .optional(),
  limit: limitSchema,
  nextToken: z.string().min(1).max(1000).optional(),
});

const pageSchema = z.object({ leads: z.array(leadViewSchema), nextToken: z.string().nullable() });
export type SearchLeadsResponse = z.output<typeof pageSchema>;

export const searchLeadsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/leads/search",
    {
      schema: {
        tags: ["leads"],
        summary:
          "Search live leads, newest first: q (name, email, phone digits), profile, tag, flags, followUpStep",
        description:
          "`q` matches the full name or email containing it (any case) and, for a phone-like text of at least 3 digits, phones holding those digits. `profile` and `tag` take a name or an id; one the org does not have is a 400. Flags are `true` or `false`. Deleted leads are left out (the sync listing `GET /v1/leads` has them). Keep the same filters when paging with `nextToken`.",
        querystring,
        response: {
          200: pageSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => searchLeads(ctx, callerOf(request).orgId, request.query),
  );
};
