import { toIso } from "../../clock.js";
import { newId } from "../../ids.js";
import type { Tx } from "../context.js";

/** Tags the product sets itself; they fire `leadTagged` when they become true. */
export const BUILT_IN_TAGS = [
  { name: "hasReplied", condition: "The lead has replied at least once." },
  { name: "isHot", condition: "The lead shows strong buying intent." },
  { name: "isQualified", condition: "The lead meets the qualification criteria." },
] as const;

export type BuiltInTagName = (typeof BUILT_IN_TAGS)[number]["name"];

export async function seedBuiltInTags(tx: Tx, orgId: string, now: Date): Promise<void> {
  const at = toIso(now);
  await tx
    .insertInto("tags")
    .values(
      BUILT_IN_TAGS.map((tag) => ({
        id: newId("tag"),
        org_id: orgId,
        name: tag.name,
        color: null,
        condition: tag.condition,
        is_manual: 0 as const,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}
