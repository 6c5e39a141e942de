import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildState, fingerprint, stampPath } from "../scripts/buildFingerprint.mjs";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "leadwire-build-"));
  roots.push(root);
  mkdirSync(join(root, "src"), { recursive: true });
  mkdirSync(join(root, "web", "src"), { recursive: true });
  writeFileSync(join(root, "package.json"), "{}");
  writeFileSync(join(root, "src", "main.ts"), "export const a = 1;\n");
  writeFileSync(join(root, "web", "src", "app.tsx"), "export const b = 2;\n");
  return root;
}

function built(root: string): void {
  mkdirSync(join(root, "dist", "web"), { recursive: true });
  writeFileSync(join(root, "dist", "main.js"), "");
  writeFileSync(join(root, "dist", "web", "index.html"), "");
  writeFileSync(stampPath(root), `${fingerprint(root)}\n`);
}

describe("npm start builds only when a source changed", () => {
  it("builds on the first start, then not again until a source changes", () => {
    const root = project();
    expect(buildState(root)).toBe("fresh");
    built(root);
    expect(buildState(root)).toBe("current");
    writeFileSync(join(root, "web", "src", "app.tsx"), "export const b = 3;\n");
    expect(buildState(root)).toBe("changed");
  });

  it("ignores tests and build output, and notices a new source file", () => {
    const root = project();
    built(root);
    writeFileSync(join(root, "src", "main.test.ts"), "it.todo('x');\n");
    writeFileSync(join(root, "dist", "extra.js"), "");
    expect(buildState(root)).toBe("current");
    writeFileSync(join(root, "src", "added.ts"), "export {};\n");
    expect(buildState(root)).toBe("changed");
  });

  it("rebuilds when an output is missing even if the sources match", () => {
    const root = project();
    built(root);
    rmSync(join(root, "dist", "web", "index.html"));
    expect(buildState(root)).toBe("changed");
  });
});
