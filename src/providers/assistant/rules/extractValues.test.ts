import { describe, expect, it } from "vitest";
import { extractValues, keyWords } from "./extractValues.js";

describe("keyWords", () => {
  it("splits camelCase and snake_case keys", () => {
    expect(keyWords("moveInDate")).toEqual(["move", "in", "date"]);
    expect(keyWords("zip_code")).toEqual(["zip", "code"]);
    expect(keyWords("homeSizeSqft")).toEqual(["home", "size", "sqft"]);
    expect(keyWords("budget")).toEqual(["budget"]);
  });
});

describe("extractValues", () => {
  it("takes a labelled value up to the end of its clause", () => {
    expect(extractValues(["company"], "My company is Acme Realty, thanks")).toEqual({
      company: "Acme Realty",
    });
    expect(extractValues(["company"], "Company: Blue Sky Homes\nThanks")).toEqual({
      company: "Blue Sky Homes",
    });
    expect(extractValues(["timeline"], "timeline is about 3-6 months")).toEqual({ timeline: "3-6 months" });
    expect(extractValues(["moveInDate"], "move-in date: 3/15")).toEqual({ moveInDate: "3/15" });
    expect(extractValues(["move_in_date"], "Move in date = April 1st")).toEqual({
      move_in_date: "April 1st",
    });
  });

  it("does not read someone else's company as the lead's", () => {
    expect(extractValues(["company"], "Your company is great")).toEqual({});
    expect(extractValues(["company"], "I work at Smith & Sons Plumbing")).toEqual({
      company: "Smith & Sons Plumbing",
    });
  });

  it("keeps money as written", () => {
    expect(extractValues(["budget"], "My budget is around $450k")).toEqual({ budget: "$450k" });
    expect(extractValues(["budget"], "budget: 450,000")).toEqual({ budget: "450,000" });
    expect(extractValues(["budget"], "we can do around 3k a month")).toEqual({ budget: "3k a month" });
    expect(extractValues(["maxPrice"], "nothing over $1.2M please")).toEqual({ maxPrice: "over $1.2M" });
    expect(extractValues(["budget"], "somewhere between 300k to 350k")).toEqual({ budget: "300k to 350k" });
  });

  it("finds dates in the forms people write them", () => {
    expect(extractValues(["moveInDate"], "We want to move in by March 15.")).toEqual({
      moveInDate: "March 15",
    });
    expect(extractValues(["moveInDate"], "We'd like to move in 2 weeks")).toEqual({
      moveInDate: "in 2 weeks",
    });
    expect(extractValues(["moveInDate"], "hoping to be moved in next month")).toEqual({
      moveInDate: "next month",
    });
    expect(extractValues(["startDate"], "we want to start end of June")).toEqual({
      startDate: "end of June",
    });
    expect(extractValues(["timeline"], "hoping to buy next spring")).toEqual({ timeline: "next spring" });
    expect(extractValues(["timeline"], "ASAP")).toEqual({ timeline: "ASAP" });
    expect(extractValues(["closingDate"], "closing on 6/30/2025")).toEqual({ closingDate: "6/30/2025" });
  });

  it("does not take a date for a move-in key from a sentence about something else", () => {
    expect(extractValues(["moveInDate"], "Call me tomorrow. We are flexible.")).toEqual({});
    expect(extractValues(["moveInDate"], "I may move soon")).toEqual({});
  });

  it("takes the number of a count with its unit", () => {
    expect(extractValues(["bedrooms"], "Looking for 3 bedrooms")).toEqual({ bedrooms: "3" });
    expect(extractValues(["bedrooms"], "2br please")).toEqual({ bedrooms: "2" });
    expect(extractValues(["bedrooms"], "need three bedroom and 2 baths")).toEqual({ bedrooms: "3" });
    expect(extractValues(["bedrooms"], "3-4 beds")).toEqual({ bedrooms: "3-4" });
    expect(extractValues(["bedrooms"], "bedrooms: 3")).toEqual({ bedrooms: "3" });
    expect(extractValues(["bathrooms"], "need three bedroom and 2.5 baths")).toEqual({ bathrooms: "2.5" });
    expect(extractValues(["homeSize"], "about 1,800 sq ft")).toEqual({ homeSize: "1,800" });
    expect(extractValues(["numberOfPets"], "we have 2 dogs, so 2 pets")).toEqual({ numberOfPets: "2" });
    expect(extractValues(["bedrooms"], "I have 2 kids")).toEqual({});
  });

  it("finds zip codes, emails and phone numbers", () => {
    expect(extractValues(["zipCode"], "we're in 90210")).toEqual({ zipCode: "90210" });
    expect(extractValues(["zip_code"], "zip code is 30301-1234")).toEqual({ zip_code: "30301" });
    expect(extractValues(["zipCode"], "my budget is $45000")).toEqual({});
    expect(extractValues(["email"], "reach me at john.doe+x@example.co.uk")).toEqual({
      email: "john.doe+x@example.co.uk",
    });
    expect(extractValues(["phone"], "call (555) 123-4567 after 5")).toEqual({ phone: "(555) 123-4567" });
    expect(extractValues(["phoneNumber"], "my cell is 555.123.4567")).toEqual({
      phoneNumber: "555.123.4567",
    });
  });

  it("gives each money key the amount nearest its own words", () => {
    expect(extractValues(["downPayment", "budget"], "Budget is 450k, we have 50k down")).toEqual({
      downPayment: "50k",
      budget: "450k",
    });
  });

  it("reads several keys from one message", () => {
    expect(
      extractValues(
        ["budget", "moveInDate", "bedrooms", "zipCode"],
        "Looking for 3 bedrooms near 78704, budget is $400-450k and we want to move in by March 15.",
      ),
    ).toEqual({ budget: "$400-450k", moveInDate: "March 15", bedrooms: "3", zipCode: "78704" });
  });

  it("returns only keys it found, and never a made-up value", () => {
    expect(extractValues(["budget", "company", "moveInDate"], "Thanks, talk soon!")).toEqual({});
    expect(extractValues([], "budget is 400k")).toEqual({});
  });

  it("ignores our own question quoted back in an email", () => {
    const reply =
      "Sounds good\n\nOn Mon, Mar 4, 2024 at 10:00 AM Jane <j@x.com> wrote:\n> Is your budget $500k?";
    expect(extractValues(["budget"], reply)).toEqual({});
  });

  it("keeps a value to 200 characters", () => {
    const long = `Company: ${"A".repeat(300)}`;
    expect(extractValues(["company"], long).company).toHaveLength(200);
  });
});
