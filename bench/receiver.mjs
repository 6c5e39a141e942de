// A webhook receiver in its own process (so it does not share a core with the sender being
// measured). Answers 200 at once; reports each request's arrival time to the parent on demand.
// RECORD_MARKERS=1 (bench/apiDriven.mjs): each body's last `BM-<phase>-<n>-` marker (a change's new
// value comes after its old one) is kept with its first arrival time, counted per phase.
import { createServer } from "node:http";

const arrivals = [];
let count = 0;
// Distinct webhook-ids: a duplicate delivery must not pass for a missing one.
const ids = new Set();
const recordMarkers = process.env.RECORD_MARKERS === "1";
const MARKER = /BM-(\w+)-(\d+)-/g;
/** marker → first arrival (ms since the epoch); per-phase distinct counts; repeats of a marker. */
const marks = new Map();
const perPhase = new Map();
let repeats = 0;

function mark(body, at) {
  let last;
  for (const match of body.matchAll(MARKER)) last = match;
  if (last === undefined) return;
  const key = `${last[1]}-${last[2]}`;
  if (marks.has(key)) {
    repeats++;
    return;
  }
  marks.set(key, at);
  perPhase.set(last[1], (perPhase.get(last[1]) ?? 0) + 1);
}

const server = createServer((req, res) => {
  const chunks = [];
  if (recordMarkers) req.on("data", (chunk) => chunks.push(chunk));
  else req.resume();
  req.on("end", () => {
    count++;
    const at = performance.timeOrigin + performance.now();
    const id = req.headers["webhook-id"];
    if (process.env.COUNT_DISTINCT === "1") ids.add(String(id));
    if (process.env.RECORD_ARRIVALS === "1") arrivals.push([String(id), at]);
    if (recordMarkers) mark(Buffer.concat(chunks).toString("utf8"), at);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "listening", port: server.address().port });
});
process.on("message", (message) => {
  if (message.type === "count")
    process.send?.({
      type: "count",
      count,
      distinct: ids.size,
      phases: Object.fromEntries(perPhase),
      repeats,
    });
  if (message.type === "arrivals") process.send?.({ type: "arrivals", arrivals: arrivals.splice(0) });
  if (message.type === "marks") {
    process.send?.({ type: "marks", marks: [...marks] });
    marks.clear();
    perPhase.clear();
    repeats = 0;
  }
  if (message.type === "reset") {
    count = 0;
    arrivals.length = 0;
    ids.clear();
    marks.clear();
    perPhase.clear();
    repeats = 0;
    process.send?.({ type: "reset" });
  }
  if (message.type === "exit") server.close(() => process.exit(0));
});
