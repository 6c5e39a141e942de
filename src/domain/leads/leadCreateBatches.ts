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
    const outcomes = new Map<number, Outcome>();
    const profiles = await profilesByName(tx, ctx, orgId, inputs);
    const usable = inputs.filter((input) => !(profiles.get(input.customerProfile) instanceof DomainError));
    const places = usable.length === 0 ? undefined : await leadPlacesLeft(tx, ctx, orgId);
    const live = new Map(
      (
        await livePhones(
          tx,
          ctx,
          orgId,
          usable.map((input) => input.phone),
        )
      ).map((lead) => [lead.phone, lead.id]),
    );
    let left = places?.left;
    /** The index of the create in this batch that takes each phone. */
    const takenBy = new Map<string, number>();
    const copies = new Map<number, number>();
    const accepted = new Map<NewLeadProfile, number[]>();
    inputs.forEach((input, i) => {
      const profile = profiles.get(input.customerProfile);
      const earlier = takenBy.get(input.phone);
      const liveId = live.get(input.phone);
      if (profile === undefined || profile instanceof DomainError) {
        outcomes.set(i, { ok: false, error: profile ?? new Error("profile not read") });
      } else if (places !== undefined && left !== undefined && left < 1) {
        outcomes.set(i, { ok: false, error: leadLimitReached(places.limit) });
      } else if (liveId !== undefined) {
        outcomes.set(i, { ok: false, error: duplicatePhone(liveId) });
      } else if (earlier !== undefined) {
        copies.set(i, earlier);
      } else {
        takenBy.set(input.phone, i);
        if (left !== undefined) left--;
        accepted.set(profile, [...(accepted.get(profile) ?? []), i]);
      }
    });
    for (const [profile, indexes] of accepted) {
      const { ids, outreach } = await insertLeads(
        tx,
        ctx,
        orgId,
        profile,
        indexes.map((i) => inputs[i] as CreateLeadInput),
      );
      indexes.forEach((i, k) => {
        const id = ids[k];
        outcomes.set(
          i,
          id === undefined
            ? { ok: false, error: new Error("insertLeads returned no id") }
            : { ok: true, lead: { id, outreach } },
        );
      });
    }
    for (const [i, earlier] of copies) {
      const first = outcomes.get(earlier);
      outcomes.set(
        i,
        first?.ok
          ? { ok: false, error: duplicatePhone(first.lead.id) }
          : (first ?? { ok: false, error: new Error("no outcome") }),
      );
    }
    return inputs.map((_, i) => outcomes.get(i) ?? { ok: false, error: new Error("create not decided") });
  });
}
