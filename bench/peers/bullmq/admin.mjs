// Redis housekeeping for bench/apiDriven.mjs (which has no Redis client of its own):
//   node admin.mjs info            → {"pid":…,"rssBytes":…} of the Redis server
//   node admin.mjs clean <prefix>  → deletes every key under `<prefix>:` (a run's BullMQ queue)
import { Redis } from "ioredis";

const redis = new Redis(process.env.PEER_REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true });
await redis.connect();
const [command, prefix] = process.argv.slice(2);
if (command === "info") {
  const info = await redis.info();
  const field = (name) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? 0);
  process.stdout.write(
    `${JSON.stringify({ pid: field("process_id"), rssBytes: field("used_memory_rss") })}\n`,
  );
} else if (command === "clean" && prefix) {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  process.stdout.write(`${JSON.stringify({ deleted })}\n`);
} else {
  process.stderr.write("usage: node admin.mjs info | clean <prefix>\n");
  process.exitCode = 2;
}
redis.disconnect();
