/** Where the last build's fingerprint is kept. */
export declare function stampPath(root: string): string;
/** A hash of every build input's path and content (tests and build output excluded). */
export declare function fingerprint(root: string): string;
/** "fresh" (no build yet), "changed" (sources differ from the last build), or "current". */
export declare function buildState(root: string, current?: string): "fresh" | "changed" | "current";
