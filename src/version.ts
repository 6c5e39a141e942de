import { readFileSync } from "node:fs";
import { z } from "zod";

/** The package version, read once (works from src/ under vitest and from dist/); throws if package.json has none. */
export const VERSION: string = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))).version;
