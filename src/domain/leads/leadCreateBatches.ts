import type { Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { DomainError } from "../errors.js";
import { OrgBatches } from "../events/orgBatches.js";
import { inTransaction } from "../events/transaction.js";
import {
  createLeadAlone,
  duplicatePhone,
  insertLeads,
  leadLimitReached,
  leadPlacesLeft,
  type NewLead,
  type NewLeadProfile,
  newLeadProfile,
} from "./createLead.js";
import type { CreateLeadInput } from "./leadInput.js";
import { livePhones } from "./livePhones.js";

/** One create of a batch: its new lead, or the error it would have had on its own. */
type Outcome = { ok: true; lead: NewLead } | { ok: false; error: unknown };

/**
 * Lead creates in batches, per org (orgBatches.ts), on both backends. On PostgreSQL one create
 * per transaction took the org's sync clock and waited for a WAL flush each: an org got about 350
 * creates a second however many API processes it had. On SQLite (where the batch joins the group
 * commit) it saves each create's own statements. A batch is one piece of work: each profile read
 * once, the live phones looked up in one query, the lead limit counted once, the leads of a
 * profile inserted in one statement, one tick of the clock.
 *
 * Each create is answered as the same creates made one after another would be: an unknown
 * profile, then the lead limit, then a phone already live (in the org, or earlier in the batch)
 * is its own error and takes nothing from the others. A batch the database refuses as a whole
 * (a phone another process created meanwhile) is made again one create at a time.
 */
export class LeadCreateBatches {
  private readonly batches: OrgBatches<CreateLeadInput, Outcome>;

  constructor(ctx: DomainContext, maxBatch: number) {
    this.batches = new OrgBatches(maxBatch, {
      write: (orgId, inputs) => createBatch(ctx, orgId, inputs),
      writeAlone: async (orgId, input) => ({ ok: true, lead: await createLeadAlone(ctx, orgId, input) }),
    });
  }

  async create(orgId: string, input: CreateLeadInput): Promise<NewLead> {
    const outcome = await this.batches.add(orgId, input);
    if (!outcome.ok) throw outcome.error;
    return outcome.lead;
  }
}

/** The profile of each name the batch uses, or the error naming it unknown. */
async function profilesByName(
  tx: Transaction<DB>,
  ctx: DomainContext,
  orgId: string,
  inputs: readonly CreateLeadInput[],
): Promise<Map<string, NewLeadProfile | DomainError>> {
  const profiles = new Map<string, NewLeadProfile | DomainError>();
  for (const { customerProfile: name } of inputs) {
    if (profiles.has(name)) continue;
    try {
      profiles.set(name, await newLeadProfile(tx, ctx, orgId, name));
    } catch (error) {
      // Not found is a verdict on this create; anything else fails the batch.
      if (!(error instanceof DomainError)) throw error;
      profiles.set(name, error);
    }
  }
  return profiles;
}

function createBatch(
  ctx: DomainContext,
  orgId: string,
  inputs: readonly CreateLeadInput[],
): Promise<Outcome[]> {
  return inTransaction(ctx, async (tx) => {
    const outcomes: Outcome[] = [];
    const profiles = await profilesByName(tx, ctx, orgId, inputs);
    const usable = inputs.filter((input) => !(profiles.get(input.customerProfile) instanceof DomainError));
    const places = usable.length === 0 ? undefined : await leadPlacesLeft(tx, ctx, orgId);
    const live = await livePhones(
      tx,
      ctx,
      orgId,
      usable.map((input) => input.phone),
    );
    const liveIds = new Map(live.map((lead) => [lead.phone, lead.id]));
    let left = places?.left ?? Number.POSITIVE_INFINITY;
    /** The create of this batch that takes each phone; a later one with the phone is its duplicate. */
    const takenBy = new Map<string, number>();
    const duplicates = new Map<number, number>();
    const accepted = new Map<NewLeadProfile, number[]>();
    inputs.forEach((input, i) => {
      const profile = profiles.get(input.customerProfile);
      const liveId = liveIds.get(input.phone);
      const earlier = takenBy.get(input.phone);
      if (profile === undefined || profile instanceof DomainError) {
        outcomes[i] = { ok: false, error: profile ?? new Error("profile not read") };
      } else if (places !== undefined && left < 1) {
        outcomes[i] = { ok: false, error: leadLimitReached(places.limit) };
      } else if (liveId !== undefined) {
        outcomes[i] = { ok: false, error: duplicatePhone(liveId) };
      } else if (earlier !== undefined) {
        duplicates.set(i, earlier);
      } else {
        takenBy.set(input.phone, i);
        left--;
        const indexes = accepted.get(profile);
        if (indexes === undefined) accepted.set(profile, [i]);
        else indexes.push(i);
      }
    });
    const ids: string[] = [];
    for (const [profile, indexes] of accepted) {
      const written = await insertLeads(
        tx,
        ctx,
        orgId,
        profile,
        indexes.map((i) => inputs[i] as CreateLeadInput),
      );
      indexes.forEach((i, k) => {
        const id = written.ids[k];
        if (id === undefined) throw new Error("insertLeads returned no id");
        ids[i] = id;
        outcomes[i] = { ok: true, lead: { id, outreach: written.outreach } };
      });
    }
    for (const [i, earlier] of duplicates) {
      const firstId = ids[earlier];
      if (firstId === undefined) throw new Error("the create a duplicate follows was not written");
      outcomes[i] = { ok: false, error: duplicatePhone(firstId) };
    }
    return outcomes;
  });
}
