import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

/**
 * Random bytes drawn 4 KiB at a time: asking the OS for 16 bytes per id cost several percent of
 * a webhook burst. The clock and sequence follow RFC 9562 §6.2 method 1 as the uuid package does
 * (a 32-bit counter seeded at random each millisecond), so ids made in one process still sort in
 * the order they were made.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;
let lastMs = Number.NEGATIVE_INFINITY;
let seq = 0;

function randomBytes16(): Uint8Array {
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

function uuidv7(): string {
  const random = randomBytes16();
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq =
      (((random[6] as number) & 0x7f) << 24) |
      ((random[7] as number) << 16) |
      ((random[8] as number) << 8) |
      (random[9] as number);
  } else {
    seq = (seq + 1) | 0;
    // Counter overflow: borrow the next millisecond rather than go backwards.
    if (seq === 0) lastMs++;
  }
  return v7({ msecs: lastMs, seq, random });
}

/** Lead ids are UUIDs (the contract), version 7 so they sort by creation time. */
export function newLeadId(): string {
  return uuidv7();
}

/** Event ids: 32 lowercase hex characters, a UUIDv7 without dashes (the contract). */
export function newEventId(): string {
  return uuidv7().replaceAll("-", "");
}

export type IdPrefix =
  | "org"
  | "key"
  | "tag"
  | "prf"
  | "tl"
  | "msg"
  | "whe"
  | "whd"
  | "wha"
  | "asj"
  | "ntf"
  | "ses"
  | "imp";

/** Our own ids: a readable prefix and a time-sortable body. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${uuidv7().replaceAll("-", "")}`;
}
