// What decides whether `npm start` must build: a hash of every build input's path and content,
// compared with the one stored by the last build (see buildIfChanged.mjs).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const INPUT_DIRECTORIES = ["src", "web"];
const INPUT_FILES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
const SKIPPED = new Set(["node_modules", "dist", "e2e"]);

export const stampPath = (root) => join(root, "dist", ".build-fingerprint");
const outputs = (root) => [join(root, "dist", "main.js"), join(root, "dist", "web", "index.html")];

function* filesUnder(directory) {
  if (!existsSync(directory)) return;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    // Tests are not build inputs; changing one needs no rebuild.
    else if (!/\.test\.tsx?$/.test(entry.name)) yield path;
  }
}

export function fingerprint(root) {
  const hash = createHash("sha256");
  const files = [
    ...INPUT_DIRECTORIES.flatMap((directory) => [...filesUnder(join(root, directory))]),
    ...INPUT_FILES.map((file) => join(root, file)).filter((file) => existsSync(file)),
  ].sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** "fresh" (no build yet), "changed" (sources differ from the last build), or "current". */
export function buildState(root, current = fingerprint(root)) {
  const stamp = stampPath(root);
  if (!existsSync(stamp)) return "fresh";
  if (!outputs(root).every((file) => existsSync(file))) return "changed";
  return readFileSync(stamp, "utf8").trim() === current ? "current" : "changed";
}
