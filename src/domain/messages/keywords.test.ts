import { describe, expect, it } from "vitest";
import { classifyInbound } from "./keywords.js";

describe("classifyInbound", () => {
  it.each(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"])(
    "%s opts out",
    (word) => {
      expect(classifyInbound(word, [])).toBe("stop");
      expect(classifyInbound(word.toLowerCase(), [])).toBe("stop");
    },
  );

  it.each([
    [" stop ", "stop"],
    ["Stop", "stop"],
    ["sToPaLl", "stop"],
    ["START", "start"],
    ["yes", "start"],
    ["Unstop", "start"],
    ["HELP", "help"],
    ["info", "help"],
  ] as const)("%j → %s", (text, expected) => {
    expect(classifyInbound(text, [])).toBe(expected);
  });

  it.each(["stop please", "Stop.", "STOP STOP", "STOP!", "stopp", "please stop", "", "   ", "S T O P"])(
    "%j is not a keyword",
    (text) => {
      expect(classifyInbound(text, [])).toBeNull();
    },
  );

  it("ignores Unicode blanks and newlines around the word", () => {
    expect(classifyInbound("\n\tSTOP\r\n", [])).toBe("stop");
    expect(classifyInbound("\u00A0stop\u2028", [])).toBe("stop");
    expect(classifyInbound("\u200Bstop\uFEFF", [])).toBe("stop");
    expect(classifyInbound("\u3000help\u2003", [])).toBe("help");
  });

  it("folds full-width letters", () => {
    expect(classifyInbound("ＳＴＯＰ", [])).toBe("stop");
  });

  it("honours the org's extra opt-out keywords, in any case", () => {
    expect(classifyInbound("ARRET", ["ARRET"])).toBe("stop");
    expect(classifyInbound(" arret ", ["ARRET"])).toBe("stop");
    expect(classifyInbound("arrêt", ["ARRÊT"])).toBe("stop");
    expect(classifyInbound("ARRET", [])).toBeNull();
    expect(classifyInbound("arret svp", ["ARRET"])).toBeNull();
  });

  it("matches accents whether composed or not", () => {
    expect(classifyInbound("arre\u0302t", ["ARR\u00CAT"])).toBe("stop");
  });
});
