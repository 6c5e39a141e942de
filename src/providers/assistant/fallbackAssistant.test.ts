import { describe, expect, it, vi } from "vitest";
import {
  type Assistant,
  type AssistantProfile,
  BrainError,
  type DraftRequest,
  type ReadRequest,
} from "../../domain/assistant/assistant.js";
import { withFallback } from "./fallbackAssistant.js";

const profile: AssistantProfile = {
  name: "Downtown lofts",
  description: null,
  instructions: null,
  bookingUrl: null,
  extract: [],
  assistantName: "Sam",
  discloseAi: true,
};

const draftRequest: DraftRequest = {
  purpose: "initial",
  channel: "sms",
  step: null,
  profile,
  lead: { firstName: "Ana", lastName: "Diaz", timeZone: null, additionalInfo: {}, summary: null },
  conversation: [],
  intent: null,
  maxSmsLength: 320,
  problem: null,
};

const readRequest: ReadRequest = {
  message: { channel: "sms", text: "who is this", subject: null },
  conversation: [],
  profile,
  lead: draftRequest.lead,
  tags: [],
  notifications: [],
};

const rules: Assistant = {
  brain: "rules",
  write: async () => ({ value: { text: "Hi Ana, this is Sam.", subject: null }, brain: "rules" }),
  read: async () => ({
    value: {
      intent: "wrong_number",
      reason: "asks who we are",
      tags: [],
      notifications: [],
      summary: "",
      extracted: {},
      reply: null,
    },
    brain: "rules",
  }),
  command: async () => ({ value: { kind: "stop_follow_ups" }, brain: "rules" }),
};

function failingLlm(error: unknown): Assistant {
  return {
    brain: "llm",
    write: () => Promise.reject(error),
    read: () => Promise.reject(error),
    command: () => Promise.reject(error),
  };
}

describe("withFallback", () => {
  it("answers with the primary when it answers, without a fallback reason", async () => {
    const llm: Assistant = {
      ...failingLlm(new Error("unused")),
      write: async () => ({ value: { text: "Hello from the model", subject: null }, brain: "llm" }),
    };
    const onFallback = vi.fn();
    const assistant = withFallback(llm, rules, onFallback);

    const answer = await assistant.write(draftRequest);

    expect(answer).toEqual({ value: { text: "Hello from the model", subject: null }, brain: "llm" });
    expect(answer).not.toHaveProperty("fallback");
    expect(onFallback).not.toHaveBeenCalled();
    expect(assistant.brain).toBe("llm");
  });

  it("answers with the fallback when the primary throws a BrainError, and says why", async () => {
    const error = new BrainError("timed out after 15000 ms", true);
    const onFallback = vi.fn();
    const assistant = withFallback(failingLlm(error), rules, onFallback);

    const answer = await assistant.write(draftRequest);

    expect(answer).toEqual({
      value: { text: "Hi Ana, this is Sam.", subject: null },
      brain: "rules",
      fallback: "llm timed out after 15000 ms; used rules",
    });
    expect(onFallback).toHaveBeenCalledExactlyOnceWith("write", error);
    expect(assistant.brain).toBe("llm");
  });

  it("falls back on any other error too, for every call", async () => {
    const assistant = withFallback(failingLlm(new TypeError("boom")), rules);

    const reading = await assistant.read(readRequest);
    const command = await assistant.command({ command: "stop", now: new Date(), timeZone: "UTC" });

    expect(reading.brain).toBe("rules");
    expect(reading.value.intent).toBe("wrong_number");
    expect(reading.fallback).toBe("llm failed: boom; used rules");
    expect(command).toEqual({
      value: { kind: "stop_follow_ups" },
      brain: "rules",
      fallback: "llm failed: boom; used rules",
    });
  });

  it("keeps the reason short when the error message is long", async () => {
    const assistant = withFallback(failingLlm(new BrainError(`failed: ${"x".repeat(5000)}`, true)), rules);

    const answer = await assistant.write(draftRequest);

    expect(answer.fallback?.length).toBeLessThan(250);
    expect(answer.fallback).toMatch(/^llm failed: x+\.\.\.; used rules$/);
  });

  it("lets a failing fallback's error through", async () => {
    const broken = failingLlm(new Error("rules broke"));
    const assistant = withFallback(failingLlm(new BrainError("answered HTTP 500", true)), {
      ...broken,
      brain: "rules",
    });

    await expect(assistant.write(draftRequest)).rejects.toThrow("rules broke");
  });
});
