import { type Answer, type Assistant, BrainError } from "../../domain/assistant/assistant.js";

type Call = "write" | "read" | "command";

/** Short enough for a timeline entry; a server's error page can be long. */
const MAX_REASON_LENGTH = 200;

/**
 * What the timeline says about a fallback, e.g. "llm timed out after 15000 ms; used rules".
 * BrainError messages are worded to follow the brain's name; anything else is a bug or an
 * unforeseen failure, so it says "failed".
 */
function fallbackReason(primary: Assistant, fallback: Assistant, error: unknown): string {
  const what =
    error instanceof BrainError
      ? error.message
      : `failed: ${error instanceof Error ? error.message : String(error)}`;
  const short = what.length > MAX_REASON_LENGTH ? `${what.slice(0, MAX_REASON_LENGTH - 3)}...` : what;
  return `${primary.brain} ${short}; used ${fallback.brain}`;
}

/**
 * Answers with `primary` and, when it fails in any way, with `fallback`, marking the answer so the
 * timeline can say why. A failing fallback is not caught: there is nothing left to fall back to.
 */
export function withFallback(
  primary: Assistant,
  fallback: Assistant,
  onFallback?: (what: string, error: unknown) => void,
): Assistant {
  async function guarded<R, T>(
    what: Call,
    request: R,
    call: (brain: Assistant, request: R) => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    try {
      return await call(primary, request);
    } catch (error) {
      onFallback?.(what, error);
      const answer = await call(fallback, request);
      return { ...answer, fallback: fallbackReason(primary, fallback, error) };
    }
  }

  return {
    brain: primary.brain,
    write: (request) => guarded("write", request, (brain, r) => brain.write(r)),
    read: (request) => guarded("read", request, (brain, r) => brain.read(r)),
    command: (request) => guarded("command", request, (brain, r) => brain.command(r)),
  };
}
