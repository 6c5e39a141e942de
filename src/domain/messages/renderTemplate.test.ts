import { describe, expect, it } from "vitest";
import { templateVariables } from "../profiles/templates.js";
import { renderTemplate, type TemplateVars } from "./renderTemplate.js";

const vars: TemplateVars = {
  firstName: "Ada",
  lastName: "Lovelace",
  aiName: "Sam",
  additionalInfo: {
    company: "Analytical Engines",
    seats: 12,
    vip: false,
    big: 10n,
    address: { city: "London", zip: null },
    tags: ["a", "b"],
    empty: "",
    nothing: null,
  },
};

describe("renderTemplate", () => {
  it("fills the built-in variables, with or without spaces inside the braces", () => {
    expect(renderTemplate("Hi {{firstName}} {{ lastName }}, {{  aiName\t}} here.", vars)).toEqual({
      ok: true,
      text: "Hi Ada Lovelace, Sam here.",
    });
  });

  it("renders additionalInfo values by type", () => {
    const template =
      "{{additionalInfo.company}}|{{additionalInfo.seats}}|{{additionalInfo.vip}}|{{additionalInfo.big}}|" +
      "{{additionalInfo.address}}|{{additionalInfo.tags}}|[{{ additionalInfo.empty }}]";
    expect(renderTemplate(template, vars)).toEqual({
      ok: true,
      text: 'Analytical Engines|12|false|10|{"city":"London","zip":null}|["a","b"]|[]',
    });
  });

  it("lists every missing or null additionalInfo key once, in order", () => {
    const template =
      "{{additionalInfo.budget}} {{additionalInfo.nothing}} {{ additionalInfo.budget }} {{additionalInfo.toString}}";
    expect(renderTemplate(template, vars)).toEqual({
      ok: false,
      missing: ["additionalInfo.budget", "additionalInfo.nothing", "additionalInfo.toString"],
    });
  });

  it("reports names the template check would have refused instead of sending the braces", () => {
    expect(renderTemplate("Hi {{nickname}}", vars)).toEqual({ ok: false, missing: ["nickname"] });
  });

  it("leaves text without variables, and dollar signs in values, as they are", () => {
    expect(renderTemplate("Save $5 today {single}", vars)).toEqual({
      ok: true,
      text: "Save $5 today {single}",
    });
    const dollars = { ...vars, firstName: "$& $1 $$" };
    expect(renderTemplate("Hi {{firstName}}", dollars)).toEqual({ ok: true, text: "Hi $& $1 $$" });
  });

  it("sees the same variables as the profile template check", () => {
    const templates = [
      "{{firstName}}{{lastName}}",
      "{{ additionalInfo.x }} and {{\nadditionalInfo.y\n}}",
      "{{ }} {{a b}} {{{firstName}}}",
    ];
    for (const template of templates) {
      const rendered = renderTemplate(template, {
        firstName: "",
        lastName: "",
        aiName: "",
        additionalInfo: {},
      });
      const missing = rendered.ok ? [] : rendered.missing;
      const expected = [...new Set(templateVariables(template))].filter(
        (name) => !["firstName", "lastName", "aiName"].includes(name),
      );
      expect(missing).toEqual(expected);
    }
  });
});
