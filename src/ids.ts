import { v7 as uuidv7 } from "uuid";

/** Lead ids are UUIDs (the contract), version 7 so they sort by creation time. */
export function newLeadId(): string {
  return uuidv7();
}

/** Event ids: 32 lowercase hex characters, a UUIDv7 without dashes (the contract). */
export function newEventId(): string {
  return uuidv7().replaceAll("-", "");
}

export type IdPrefix = "org" | "key" | "tag" | "prf" | "tl" | "msg" | "whe" | "whd" | "wha" | "job";

/** Our own ids: a readable prefix and a time-sortable body. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${uuidv7().replaceAll("-", "")}`;
}
