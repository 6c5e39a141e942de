import { describe, expect, it } from "vitest";
import { describeMatch, matchCondition } from "./conditionPhrases.js";

describe("matchCondition", () => {
  it("returns the first phrase of the list that any text contains", () => {
    expect(matchCondition("price, cost, how much", ["Hi", "What's the price?"])).toBe("price");
    expect(matchCondition("cost, price", ["What's the price? And the cost?"])).toBe("cost");
    expect(matchCondition("price, cost", ["Sounds good"])).toBeUndefined();
  });

  it("trims items, ignores empty ones and case", () => {
    expect(matchCondition(" , ,  Call Me ,", ["please CALL me tomorrow"])).toBe("Call Me");
    expect(matchCondition("", ["anything"])).toBeUndefined();
    expect(matchCondition(" , ", ["anything"])).toBeUndefined();
  });

  it("matches whole words, with an optional plural", () => {
    expect(matchCondition("car", ["that was scary"])).toBeUndefined();
    expect(matchCondition("car", ["my car broke"])).toBe("car");
    expect(matchCondition("car", ["two cars"])).toBe("car");
    expect(matchCondition("price", ["the price?"])).toBe("price");
    expect(matchCondition("price", ["prices are high"])).toBe("price");
    expect(matchCondition("price", ["priceless"])).toBeUndefined();
    expect(matchCondition("hot", ["a shot"])).toBeUndefined();
  });

  it("matches a phrase across spaces, curly apostrophes and accents", () => {
    expect(matchCondition("ready to buy", ["we're  ready\nto buy now"])).toBe("ready to buy");
    expect(matchCondition("don't call", ["Please don’t call before 5"])).toBe("don't call");
    expect(matchCondition("dont call", ["Please don't call"])).toBe("dont call");
    expect(matchCondition("número", ["mi numero es"])).toBe("número");
  });

  it("matches phrases that start or end with a symbol", () => {
    expect(matchCondition("$, budget", ["around $400k"])).toBe("$");
    expect(matchCondition("asap!", ["need it ASAP!"])).toBe("asap!");
  });

  it("reads intent:<name> against the reading's intent", () => {
    expect(matchCondition("intent:booking, call me", ["tomorrow at 3?"], "booking")).toBe("intent:booking");
    expect(matchCondition("intent:booking, call me", ["please call me"], "question")).toBe("call me");
    expect(matchCondition("intent:booking", ["call me"], "interested")).toBeUndefined();
    expect(matchCondition("intent:booking", ["call me"])).toBeUndefined();
    expect(matchCondition("Intent: Not_Interested", ["no"], "not_interested")).toBe("intent:not_interested");
  });

  it("never matches an unknown intent name, nor reads it as a phrase", () => {
    expect(matchCondition("intent:hot", ["intent:hot"], "interested")).toBeUndefined();
  });

  it("ignores our own words quoted back in an email reply", () => {
    const reply = "Thanks!\n\nOn Mon, Mar 4, 2024 at 10:00 AM Jane <j@x.com> wrote:\n> What is your budget?";
    expect(matchCondition("budget", [reply])).toBeUndefined();
    expect(matchCondition("budget", ["> what budget?\nMy budget is 400k"])).toBe("budget");
  });
});

describe("describeMatch", () => {
  it("says what the lead wrote", () => {
    expect(describeMatch("price")).toBe('the lead wrote "price"');
  });

  it("says how the reply was read for an intent item", () => {
    expect(describeMatch("intent:not_interested")).toBe("the lead's reply was read as not interested");
  });
});
