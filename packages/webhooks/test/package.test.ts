import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

// The package as a receiver gets it: its manifest, its one import, the tarball `npm pack` makes,
// that tarball installed into an empty project (no registry: --offline), and its types.
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as Record<
  string,
  unknown
>;
const scratch = mkdtempSync(join(tmpdir(), "leadwire-webhooks-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  return execFileSync(
    "npm",
    [...args, "--ignore-scripts", "--no-audit", "--no-fund", "--no-update-notifier"],
    {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

/** The type errors of a program, one line each ("file(line): message"). */
function typeErrors(rootNames: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(rootNames, { noEmit: true, strict: true, ...options });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file?.getLineAndCharacterOfPosition(d.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    return `${d.file?.fileName ?? "?"}(${(where?.line ?? -1) + 1}): ${text}`;
  });
}

describe("@leadwire/webhooks as a package", () => {
  it("declares no dependencies of any kind, ESM only, Node 18 or later, typed exports", () => {
    for (const field of [
      "dependencies",
      "devDependencies",
      "peerDependencies",
      "optionalDependencies",
      "bundleDependencies",
      "bundledDependencies",
    ]) {
      expect(manifest[field], field).toBeUndefined();
    }
    expect(manifest).toMatchObject({
      name: "@leadwire/webhooks",
      type: "module",
      engines: { node: ">=18" },
      exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
      files: ["index.js", "index.d.ts"],
    });
    expect(manifest.scripts).toBeUndefined();
  });

  it("imports nothing but node:crypto", () => {
    const code = readFileSync(join(packageDir, "index.js"), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    const specifiers = [...code.matchAll(/\bimport\b[^;]*?\bfrom\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(specifiers).toEqual(["node:crypto"]);
    expect(code).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
  });

  it("index.js type-checks against index.d.ts", () => {
    expect(
      typeErrors([join(packageDir, "index.js")], {
        allowJs: true,
        checkJs: true,
        noUncheckedIndexedAccess: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2022.d.ts"],
        types: ["node"],
        // index.d.ts is checked by the repository's `tsc` (tsconfig.json includes packages/).
        skipLibCheck: true,
      }),
    ).toEqual([]);
  }, 60_000);

  it("packs only its own files, and the tarball installs and works in an empty project", () => {
    const [packed] = JSON.parse(
      npm(["pack", "--json", "--pack-destination", scratch, packageDir], scratch),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    expect(packed?.files.map((f) => f.path).sort()).toEqual([
      "README.md",
      "index.d.ts",
      "index.js",
      "package.json",
    ]);

    const project = join(scratch, "receiver");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{"name":"receiver","private":true,"type":"module"}');
    npm(["install", "--offline", "--no-package-lock", join(scratch, packed?.filename ?? "")], project);
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies).toHaveProperty(
      "@leadwire/webhooks",
    );

    // A legacy-signed body, checked with the right and a wrong secret, from ESM and from CommonJS.
    const check = (load: string) => `${load}
      const body = '{"event":"lead.created"}';
      const headers = { "x-signature-sha256": createHmac("sha256", "s3cret").update(body).digest("hex") };
      console.log(JSON.stringify([verifyWebhook(body, headers, "s3cret"), verifyWebhook(body, headers, "other").ok]));`;
    const expected = [{ ok: true, scheme: "legacy" }, false];
    const esm = check(
      'import { createHmac } from "node:crypto"; import { verifyWebhook } from "@leadwire/webhooks";',
    );
    const run = (args: string[]) =>
      JSON.parse(execFileSync("node", args, { cwd: project, encoding: "utf8" }));
    expect(run(["--input-type=module", "-e", esm])).toEqual(expected);
    // require() of an ES module: Node 20.19+ and 22.12+ (older Node: `await import(...)`).
    if (process.features.require_module) {
      const cjs = check(
        'const { createHmac } = require("node:crypto"); const { verifyWebhook } = require("@leadwire/webhooks");',
      );
      expect(run(["--input-type=commonjs", "-e", cjs])).toEqual(expected);
    }

    // Its types resolve through `exports` and need neither @types/node nor the DOM library.
    writeFileSync(
      join(project, "consumer.ts"),
      `import { type VerifyWebhookResult, verifyWebhook, verifyWebhookOrThrow, WebhookVerificationError } from "@leadwire/webhooks";
      declare const rawBody: Uint8Array;
      declare const fetchHeaders: { get(name: string): string | null };
      const result: VerifyWebhookResult = verifyWebhook(rawBody, { "webhook-id": ["a"] }, "s", { now: new Date() });
      if (!result.ok) throw new WebhookVerificationError(result.reason);
      const scheme: "standard" | "legacy" = result.scheme;
      const eventId: string | undefined = verifyWebhookOrThrow("{}", fetchHeaders, "s").eventId;
      // @ts-expect-error parsed JSON is not a raw body
      verifyWebhook({ event: "x" }, {}, "s");
      export { eventId, scheme };`,
    );
    for (const [module, moduleResolution] of [
      [ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
      [ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
    ] as const) {
      expect(
        typeErrors([join(project, "consumer.ts")], {
          module,
          moduleResolution,
          target: ts.ScriptTarget.ES2022,
          lib: ["lib.es2022.d.ts"],
          types: [],
        }),
      ).toEqual([]);
    }
  }, 120_000);
});
