import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  AssistantProfile,
  ConversationTurn,
  DraftPurpose,
  DraftRequest,
  Intent,
} from "../../../domain/assistant/assistant.js";
import { draftProblem } from "../../../domain/assistant/guards.js";
import { firstSentence, instructionsQuestion, writeDraft } from "./writeDraft.js";

const BOOKING = "https://cal.example.com/sunrise/intro?src=sms";

const PROFILE: AssistantProfile = {
  name: "Sunrise Realty",
  description: "Home buying help in Dallas and Plano. We have 20 years of experience.",
  instructions: "Be warm and brief. Ask: What is your budget? Never discuss commission.",
  bookingUrl: BOOKING,
  extract: ["budget"],
  assistantName: "Ava",
  discloseAi: true,
};

function request(
  overrides: Partial<DraftRequest> = {},
  profile: Partial<AssistantProfile> = {},
): DraftRequest {
  return {
    purpose: "initial",
    channel: "sms",
    step: null,
    lead: {
      firstName: "Dana",
      lastName: "Lee",
      timeZone: "America/Chicago",
      additionalInfo: {},
      summary: null,
    },
    conversation: [],
    intent: null,
    maxSmsLength: 320,
    problem: null,
    ...overrides,
    profile: { ...PROFILE, ...profile },
  };
}

/** The real send guard (guards.ts), minus the opt-out line the caller appends. */
function guardProblem(
  req: DraftRequest,
  draft: { text: string; subject: string | null },
): string | undefined {
  return draftProblem(draft, {
    channel: req.channel,
    maxSmsLength: req.maxSmsLength,
    bookingUrl: req.profile.bookingUrl,
    publicUrl: "https://leadwire.example.org",
    allowedDomains: [],
    optOutLine: null,
    discloseAi: req.profile.discloseAi,
  });
}

interface Case {
  label: string;
  purpose: DraftPurpose;
  step?: number;
  intent?: Intent;
}

const CASES: Case[] = [
  { label: "initial", purpose: "initial" },
  { label: "step 1", purpose: "step", step: 1 },
  { label: "step 2", purpose: "step", step: 2 },
  { label: "step 3", purpose: "step", step: 3 },
  { label: "step 4", purpose: "step", step: 4 },
  { label: "step 7", purpose: "step", step: 7 },
  { label: "nurture", purpose: "nurture" },
  { label: "reply question", purpose: "reply", intent: "question" },
  { label: "reply interested", purpose: "reply", intent: "interested" },
  { label: "reply booking", purpose: "reply", intent: "booking" },
  { label: "reply other", purpose: "reply", intent: "other" },
  { label: "close not_interested", purpose: "close", intent: "not_interested" },
  { label: "close wrong_number", purpose: "close", intent: "wrong_number" },
];

function caseRequest(
  c: Case,
  overrides: Partial<DraftRequest> = {},
  profile: Partial<AssistantProfile> = {},
) {
  return request(
    { purpose: c.purpose, step: c.step ?? null, intent: c.intent ?? null, ...overrides },
    profile,
  );
}

const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/g;

describe("writeDraft: every purpose, channel and step", () => {
  const profiles: [string, Partial<AssistantProfile>][] = [
    ["full profile", {}],
    ["no booking link", { bookingUrl: null }],
    ["no description or instructions", { description: null, instructions: null }],
    ["no disclosure", { discloseAi: false }],
  ];
  for (const c of CASES) {
    for (const [profileLabel, profile] of profiles) {
      for (const channel of ["sms", "email"] as const) {
        for (const maxSmsLength of channel === "sms" ? [320, 160, 120] : [320]) {
          it(`${c.label}, ${channel}, ${profileLabel}, max ${maxSmsLength}: passes the send guard`, () => {
            const req = caseRequest(c, { channel, maxSmsLength }, profile);
            const draft = writeDraft(req);
            expect(draft.text.trim()).not.toBe("");
            expect(guardProblem(req, draft)).toBeUndefined();
            expect(draft.text).not.toMatch(/\{\{|\}\}|undefined|null|NaN/);
            expect(draft.text).not.toMatch(/\bSTOP\b/);
            for (const link of draft.text.match(LINK) ?? []) expect(link).toBe(BOOKING);
            if (channel === "sms") {
              expect(draft.subject).toBeNull();
              expect(draft.text.length).toBeLessThanOrEqual(maxSmsLength);
              expect(draft.text).not.toContain("\n");
            } else {
              expect(draft.subject?.trim()).toBeTruthy();
              expect(draft.subject).not.toContain("\n");
            }
          });
        }
      }
    }
  }

  it("is deterministic", () => {
    for (const c of CASES) expect(writeDraft(caseRequest(c))).toEqual(writeDraft(caseRequest(c)));
  });

  it("words each step differently so a sequence does not repeat itself", () => {
    for (const channel of ["sms", "email"] as const) {
      const texts = [1, 2, 3, 4].map((step) => writeDraft(request({ purpose: "step", step, channel })).text);
      expect(new Set(texts).size).toBe(4);
    }
    const subjects = [1, 2, 3, 4].map(
      (step) => writeDraft(request({ purpose: "step", step, channel: "email" })).subject,
    );
    expect(new Set(subjects).size).toBe(4);
    expect(subjects[0]).toBe("Checking in");
  });

  it("treats a missing step number as step 1", () => {
    expect(writeDraft(request({ purpose: "step", step: null })).text).toBe(
      writeDraft(request({ purpose: "step", step: 1 })).text,
    );
  });
});

describe("writeDraft: wording", () => {
  it("introduces the assistant as a virtual assistant when disclosure is on", () => {
    const sms = writeDraft(request()).text;
    expect(sms).toMatch(/^Hi Dana, this is Ava, the virtual assistant for Sunrise Realty\./);
    const email = writeDraft(request({ channel: "email" }));
    expect(email.text).toMatch(/^Hi Dana,\n\nThis is Ava, the virtual assistant for Sunrise Realty\./);
    expect(email.text).toContain("Virtual assistant, Sunrise Realty");
    expect(email.subject).toBe("Sunrise Realty: following up on your request");
  });

  it("names the sender without the disclosure when it is off, and never claims to be a person", () => {
    for (const c of CASES) {
      const text = writeDraft(caseRequest(c, {}, { discloseAi: false })).text;
      expect(text).not.toMatch(/virtual assistant/i);
      expect(text).not.toMatch(/\b(?:human|real person|not a bot)\b/i);
    }
    expect(writeDraft(request({}, { discloseAi: false })).text).toMatch(
      /^Hi Dana, this is Ava from Sunrise Realty\./,
    );
  });

  it("falls back to the description's subject, then to a generic name, when the profile has no name", () => {
    const fromDescription = writeDraft(
      request({}, { name: "", description: "Sunrise Realty helps families find homes in Dallas." }),
    ).text;
    expect(fromDescription).toContain("Ava, the virtual assistant for Sunrise Realty.");
    const generic = writeDraft(request({}, { name: "", description: null })).text;
    expect(generic).toContain("Ava, the virtual assistant for our team.");
    expect(writeDraft(request({ channel: "email" }, { name: "", description: null })).subject).toBe(
      "Following up on your request",
    );
  });

  it("weaves a noun-phrase description into the sentence, lower-casing an ordinary first word", () => {
    expect(writeDraft(request()).text).toContain(
      "Thanks for your interest in home buying help in Dallas and Plano.",
    );
    expect(writeDraft(request({ purpose: "step", step: 1 })).text).toContain(
      "checking in on your request about home buying help in Dallas and Plano.",
    );
  });

  it("keeps a name or an acronym capitalised", () => {
    expect(
      writeDraft(request({}, { description: "Sunrise Realty, Dallas' family brokerage." })).text,
    ).toContain("interest in Sunrise Realty, Dallas' family brokerage.");
    expect(writeDraft(request({}, { description: "HVAC repair across North Texas." })).text).toContain(
      "interest in HVAC repair across North Texas.",
    );
  });

  it("lets a clause description stand as its own sentence", () => {
    const text = writeDraft(
      request({}, { description: "We help families find homes in Dallas. Since 1998." }),
    ).text;
    expect(text).toContain("Thanks for reaching out. We help families find homes in Dallas.");
    const named = writeDraft(request({}, { description: "Sunrise Realty helps families find homes." })).text;
    expect(named).toContain("Sunrise Realty helps families find homes.");
    const article = writeDraft(request({}, { description: "A family-owned brokerage in Dallas." })).text;
    expect(article).toContain("We're a family-owned brokerage in Dallas.");
  });

  it("uses a generic phrase when the description is missing or unusable", () => {
    for (const description of [
      null,
      "",
      "   ",
      "See https://sunrise.example.com for more.",
      "{{companyBlurb}}",
    ]) {
      const text = writeDraft(request({}, { description })).text;
      expect(text).toContain("Thanks for reaching out.");
      expect(text).not.toContain("sunrise.example.com");
      expect(text).not.toContain("{");
    }
  });

  it("asks the instructions' question in the initial message and step 1 only", () => {
    expect(writeDraft(request()).text).toContain("What is your budget?");
    expect(writeDraft(request({ purpose: "step", step: 1 })).text).toContain("What is your budget?");
    for (const step of [2, 3, 4]) {
      expect(writeDraft(request({ purpose: "step", step })).text).not.toContain("budget");
    }
    expect(writeDraft(request({ purpose: "nurture" })).text).not.toContain("budget");
  });

  it("ignores instructions without a direct question", () => {
    const text = writeDraft(request({}, { instructions: "Be friendly. Mention our 20 years." })).text;
    expect(text).toContain("What are you looking for, and when is a good time to talk?");
    expect(text).not.toContain("friendly");
  });

  it("offers the booking link in step 2+, nurture, and question, interested and booking replies", () => {
    const withLink: Case[] = CASES.filter((c) =>
      [
        "step 2",
        "step 3",
        "step 4",
        "step 7",
        "nurture",
        "reply question",
        "reply interested",
        "reply booking",
      ].includes(c.label),
    );
    for (const c of withLink) {
      for (const channel of ["sms", "email"] as const) {
        expect(writeDraft(caseRequest(c, { channel })).text, c.label).toMatch(/pick a time here: https:/i);
      }
    }
    for (const c of CASES.filter((x) => !withLink.includes(x))) {
      expect(writeDraft(caseRequest(c)).text, c.label).not.toContain(BOOKING);
    }
    expect(writeDraft(request({ purpose: "reply", intent: "booking" })).text).toContain(
      `Pick a time here: ${BOOKING}`,
    );
  });

  it("asks for a day and time when there is no booking link", () => {
    const noLink = { bookingUrl: null };
    expect(writeDraft(request({ purpose: "reply", intent: "booking" }, noLink)).text).toContain(
      "What day and time work best for you?",
    );
    expect(writeDraft(request({ purpose: "reply", intent: "interested" }, noLink)).text).toContain(
      "What day and time work for you?",
    );
    expect(writeDraft(request({ purpose: "step", step: 2 }, noLink)).text).toContain(
      "What day and time work for a quick call?",
    );
  });

  it("treats a booking link that is not an http(s) URL as absent", () => {
    for (const bookingUrl of [
      "",
      "cal.example.com/x",
      "javascript:alert(1)",
      "https://x.example.com/{{id}}",
    ]) {
      const text = writeDraft(request({ purpose: "reply", intent: "booking" }, { bookingUrl })).text;
      expect(text).toContain("What day and time work best for you?");
    }
  });

  it("answers a question without claiming to know the answer", () => {
    const text = writeDraft(request({ purpose: "reply", intent: "question" })).text;
    expect(text).toContain("Thanks for your question.");
    expect(text).toContain("A teammate will follow up with the details soon.");
    const noLink = writeDraft(request({ purpose: "reply", intent: "question" }, { bookingUrl: null })).text;
    expect(noLink).not.toMatch(/https?:/);
  });

  it("closes politely for not interested and apologises, without the name, for a wrong number", () => {
    const conversation = outboundSoFar();
    expect(writeDraft(request({ purpose: "close", intent: "not_interested", conversation })).text).toBe(
      "Understood, Dana, thanks for letting us know. We won't follow up again.",
    );
    const wrong = writeDraft(request({ purpose: "close", intent: "wrong_number", conversation })).text;
    expect(wrong).toBe("Sorry for the mix-up, we must have the wrong number. We won't text you again.");
    const wrongEmail = writeDraft(
      request({ purpose: "close", intent: "wrong_number", channel: "email" }),
    ).text;
    expect(wrongEmail).toMatch(/^Hello,\n\nSorry for the mix-up, we must have the wrong address\./);
    expect(wrongEmail).not.toContain("Dana");
  });

  it("writes a reply with the close when the lead is not interested", () => {
    expect(writeDraft(request({ purpose: "reply", intent: "not_interested" })).text).toContain(
      "We won't follow up again.",
    );
  });

  it("omits the first name gracefully when it is empty or unusable", () => {
    for (const firstName of ["", "  ", "{{firstName}}", "www.spam.com"]) {
      const lead = { firstName, lastName: "", timeZone: null, additionalInfo: {}, summary: null };
      expect(writeDraft(request({ lead })).text).toMatch(/^Hi there, this is Ava/);
      expect(writeDraft(request({ lead, channel: "email" })).text).toMatch(/^Hi there,\n\n/);
      const close = writeDraft(request({ lead, purpose: "close", intent: "not_interested" })).text;
      expect(close).toBe("Understood, thanks for letting us know. We won't follow up again.");
    }
  });

  it("introduces itself in a reply only to a lead that has not heard from us or asks who this is", () => {
    const conversation = outboundSoFar();
    const replyReq = request({ purpose: "reply", intent: "question", conversation });
    expect(writeDraft(replyReq).text).toMatch(/^Thanks for your question, Dana\./);
    const firstContact = writeDraft({ ...replyReq, conversation: [inbound("Do you service Plano?")] }).text;
    expect(firstContact).toMatch(/^Hi Dana, this is Ava, the virtual assistant for Sunrise Realty\./);
    const asked = writeDraft({
      ...replyReq,
      intent: "other",
      conversation: [...conversation, inbound("who is this?")],
    });
    expect(asked.text).toContain("the virtual assistant for Sunrise Realty");
  });
});

function inbound(
  text: string,
  channel: "sms" | "email" = "sms",
  subject: string | null = null,
): ConversationTurn {
  return { direction: "inbound", channel, text, subject, at: "2026-03-03T15:00:00.000Z" };
}

function outboundSoFar(): ConversationTurn[] {
  return [
    {
      direction: "outbound",
      channel: "sms",
      text: "Hi Dana, this is Ava.",
      subject: null,
      at: "2026-03-02T15:00:00.000Z",
    },
  ];
}

describe("writeDraft: email subjects", () => {
  it("replies under the lead's last email subject without stacking Re:", () => {
    const conversation = [
      inbound("first", "email", "Old thread"),
      inbound("sms in between", "sms"),
      inbound("Is the house on Elm still available?", "email", "RE: Re: House on Elm"),
    ];
    const draft = writeDraft(
      request({ purpose: "reply", intent: "question", channel: "email", conversation }),
    );
    expect(draft.subject).toBe("Re: House on Elm");
  });

  it("falls back to a generic subject when there is none, or it is unusable", () => {
    for (const subject of [null, "", "Re:", "see www.spam.com", "{{subject}}"]) {
      const conversation = [inbound("hello", "email", subject)];
      const draft = writeDraft(
        request({ purpose: "reply", intent: "other", channel: "email", conversation }),
      );
      expect(draft.subject).toBe("Re: your message");
    }
  });

  it("gives nurture and later steps their own subjects", () => {
    expect(writeDraft(request({ purpose: "nurture", channel: "email" })).subject).toBe(
      "Sunrise Realty: here when you're ready",
    );
    expect(writeDraft(request({ purpose: "step", step: 5, channel: "email" })).subject).toBe(
      "One more note from Sunrise Realty",
    );
  });
});

describe("writeDraft: fitting an SMS", () => {
  it("drops the description first, then the question, before shortening the wording", () => {
    const question = "Which neighborhoods are you considering, and do you have a school district in mind?";
    const profile = { instructions: `Ask: ${question}` };
    const full = writeDraft(request({}, profile)).text;
    expect(full).toContain("home buying help");
    expect(full).toContain(question);

    const noOffer = writeDraft(request({ maxSmsLength: full.length - 1 }, profile)).text;
    expect(noOffer).not.toContain("home buying help");
    expect(noOffer).toContain(question);

    const plain = writeDraft(request({ maxSmsLength: noOffer.length - 1 }, profile)).text;
    expect(plain).toBe(
      "Hi Dana, this is Ava, the virtual assistant for Sunrise Realty. Thanks for reaching out. When is a good time to talk?",
    );

    const compact = writeDraft(request({ maxSmsLength: plain.length - 1 }, profile)).text;
    expect(compact).toBe(
      "Hi Dana, this is Ava, the virtual assistant for Sunrise Realty. When is a good time to talk?",
    );
  });

  it("keeps whole words and whole links when even the shortest wording does not fit", () => {
    const req = request({ purpose: "step", step: 2, maxSmsLength: 90 });
    const text = writeDraft(req).text;
    expect(text.length).toBeLessThanOrEqual(90);
    const compact = writeDraft({ ...req, maxSmsLength: 1600, problem: "too long" }).text;
    expect(compact.startsWith(text)).toBe(true);
    expect(compact.charAt(text.length)).toBe(" ");
    for (const word of text.split(" ")) if (word.startsWith("http")) expect(word).toBe(BOOKING);
  });

  it("never cuts the booking link, whatever the limit", () => {
    for (let max = 20; max <= 260; max += 1) {
      for (const c of CASES) {
        const text = writeDraft(caseRequest(c, { maxSmsLength: max })).text;
        expect(text.length).toBeLessThanOrEqual(max);
        for (const link of text.match(LINK) ?? []) expect(link).toBe(BOOKING);
        for (const word of text.split(" ")) if (word.startsWith("http")) expect(word).toBe(BOOKING);
      }
    }
  });

  it("fits arbitrary profile text, never leaving a placeholder or a foreign link", () => {
    const safeName = fc.stringMatching(/^[A-Za-z][A-Za-z ']{0,30}$/);
    const freeText = fc.option(
      fc.oneof(
        fc.string({ maxLength: 400 }),
        fc.constantFrom(
          "Visit www.other.example.com today! We fix roofs.",
          "{{x}} Ask: What is {{budget}}?",
          "Ask them: when do you want to move? Ask: What is your budget?",
          "Roof repair. Ask: Any leaks at https://evil.example.net/x?",
        ),
      ),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES),
        safeName,
        safeName,
        fc.string({ maxLength: 30 }),
        freeText,
        freeText,
        fc.boolean(),
        fc.integer({ min: 160, max: 1600 }),
        (c, name, assistantName, firstName, description, instructions, discloseAi, maxSmsLength) => {
          const req = caseRequest(
            c,
            {
              maxSmsLength,
              lead: { firstName, lastName: "", timeZone: null, additionalInfo: {}, summary: null },
            },
            { name, assistantName, description, instructions, discloseAi },
          );
          const draft = writeDraft(req);
          expect(draft.text.length).toBeLessThanOrEqual(maxSmsLength);
          expect(draft.text).not.toMatch(/\{\{|\}\}/);
          for (const link of draft.text.match(LINK) ?? []) expect(link).toBe(BOOKING);
        },
      ),
      { seed: 20260303, numRuns: 400 },
    );
  });
});

describe("writeDraft: rewrite after a refused draft", () => {
  it("is shorter, without the description or the question", () => {
    for (const c of CASES) {
      for (const channel of ["sms", "email"] as const) {
        const normal = writeDraft(caseRequest(c, { channel }));
        const rewrite = writeDraft(
          caseRequest(c, { channel, problem: "the SMS is 400 characters; at most 320" }),
        );
        expect(rewrite.text.length, `${c.label} ${channel}`).toBeLessThanOrEqual(normal.text.length);
        expect(rewrite.text).not.toContain("home buying help");
        expect(rewrite.text).not.toContain("budget");
      }
    }
    const normal = writeDraft(request()).text;
    expect(writeDraft(request({ problem: "too long" })).text.length).toBeLessThan(normal.length);
  });

  it("keeps the booking link unless the problem is about links", () => {
    const step2 = request({ purpose: "step", step: 2 });
    expect(writeDraft({ ...step2, problem: "the SMS is 400 characters" }).text).toContain(BOOKING);
    const linkProblem =
      "the draft links to sunrise.com, which is not the booking link, the unsubscribe link or an allowed domain";
    const rewrite = writeDraft({ ...step2, problem: linkProblem }).text;
    expect(rewrite).not.toMatch(/https?:/);
    expect(rewrite).toContain("What day and time work for a quick call?");
  });

  it("removes link-like text from names when the problem is about links", () => {
    const req = request({ problem: "the draft links to sunrise.com" }, { name: "Sunrise.com Realty" });
    expect(writeDraft(req).text).toBe(
      "Hi Dana, this is Ava, the virtual assistant for Realty. When is a good time to talk?",
    );
    expect(writeDraft({ ...req, problem: null }).text).toContain("Sunrise.com Realty");
  });
});

describe("firstSentence and instructionsQuestion", () => {
  it("finds the first sentence, skipping abbreviations", () => {
    expect(firstSentence("Dr. Smith's dental care in St. Louis. Open daily.")).toBe(
      "Dr. Smith's dental care in St. Louis",
    );
    expect(firstSentence("  Roof repair  ")).toBe("Roof repair");
    expect(firstSentence("Roofing!\nSecond line.")).toBe("Roofing");
    expect(firstSentence("Looking for a home?")).toBeNull();
  });

  it("takes the first direct question and strips the instruction around it", () => {
    expect(instructionsQuestion('Be brief. Ask "Are you pre-approved?" then offer a call.')).toBe(
      "Are you pre-approved?",
    );
    expect(instructionsQuestion("Always ask: when do you want to move in?")).toBe(
      "When do you want to move in?",
    );
    expect(instructionsQuestion("Ask them what their budget is? Be nice.")).toBeNull();
    expect(instructionsQuestion("Tone: friendly.")).toBeNull();
    expect(instructionsQuestion(null)).toBeNull();
  });
});
