import type { Answer, Assistant, BrainName, Draft, DraftRequest } from "./assistant.js";
import { draftProblem, finishDraft, type GuardRules } from "./guards.js";

export interface ComposedDraft {
  draft: Draft;
  /** Why the draft may not be sent even after its one rewrite; undefined when it may. */
  problem: string | undefined;
  brain: BrainName;
  /** Fallbacks and rewrites, for the timeline. */
  notes: string[];
}

function noteOf(answer: Answer<Draft>): string[] {
  return answer.fallback === undefined ? [] : [answer.fallback];
}

/**
 * A draft that passed the guards, or the reason it did not: a draft that fails is rewritten once
 * (the brain is told why), and a second failure is final (assistant.md).
 */
export async function composeDraft(
  assistant: Assistant,
  request: DraftRequest,
  rules: GuardRules,
  /** A draft the brain already proposed (a reading's reply), used as the first try. */
  proposed?: Answer<Draft>,
): Promise<ComposedDraft> {
  const first = proposed ?? (await assistant.write(request));
  const draft = finishDraft(first.value, rules);
  const problem = draftProblem(draft, rules);
  if (problem === undefined) return { draft, problem, brain: first.brain, notes: noteOf(first) };
  const second = await assistant.write({ ...request, problem });
  const rewritten = finishDraft(second.value, rules);
  return {
    draft: rewritten,
    problem: draftProblem(rewritten, rules),
    brain: second.brain,
    notes: [...noteOf(first), `first draft refused (${problem}); rewritten once`, ...noteOf(second)],
  };
}
