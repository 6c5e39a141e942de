// A webhook receiver in its own process (so it does not share a core with the sender being
// measured). Answers 200 at once; reports each request's arrival time to the parent on demand.
import { createServer } from "node:http";

const arrivals = [];
let count = 0;
// Distinct webhook-ids: a duplicate delivery must not pass for a missing one.
const ids = new Set();
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    count++;
    const id = req.headers["webhook-id"];
    if (process.env.COUNT_DISTINCT === "1") ids.add(String(id));
    if (process.env.RECORD_ARRIVALS === "1")
      arrivals.push([String(id), performance.timeOrigin + performance.now()]);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "listening", port: server.address().port });
});
process.on("message", (message) => {
  if (message.type === "count") process.send?.({ type: "count", count, distinct: ids.size });
  if (message.type === "arrivals") process.send?.({ type: "arrivals", arrivals: arrivals.splice(0) });
  if (message.type === "reset") {
    count = 0;
    arrivals.length = 0;
    ids.clear();
    process.send?.({ type: "reset" });
  }
  if (message.type === "exit") server.close(() => process.exit(0));
});
