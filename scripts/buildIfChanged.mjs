// `npm start` runs this first: it builds (TypeScript and the web app, about a minute) only when a
// source changed since the last build, so a restart answers in seconds.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildState, fingerprint, stampPath } from "./buildFingerprint.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const current = fingerprint(root);
const state = buildState(root, current);
if (state === "current") {
  process.stdout.write("Build is up to date.\n");
} else {
  process.stdout.write(
    state === "fresh"
      ? "First start: building the server and the web app (about a minute)...\n"
      : "Sources changed since the last build: rebuilding (about a minute)...\n",
  );
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampPath(root), `${current}\n`);
}
