import { describe, expect, it } from "vitest";
import { MAX_SMS_CHARACTERS, smsSegments, smsTooLong } from "./smsSegments.js";

const gsm = (length: number) => "a".repeat(length);
const ucs = (length: number) => "ж".repeat(length);

describe("smsSegments: GSM-7", () => {
  it.each([
    [0, 1],
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])("%i characters → %i segments", (length, segments) => {
    expect(smsSegments(gsm(length))).toEqual({ encoding: "GSM-7", segments, units: length });
  });

  it("counts the whole basic alphabet, including Greek capitals and newlines, as GSM-7", () => {
    const text = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà";
    expect(smsSegments(text)).toEqual({ encoding: "GSM-7", segments: 1, units: [...text].length });
  });

  it("counts each extension character as two septets", () => {
    expect(smsSegments("€")).toEqual({ encoding: "GSM-7", segments: 1, units: 2 });
    expect(smsSegments("^{}\\[~]|€\f")).toEqual({ encoding: "GSM-7", segments: 1, units: 20 });
    expect(smsSegments(`${gsm(158)}€`)).toEqual({ encoding: "GSM-7", segments: 1, units: 160 });
    expect(smsSegments(`${gsm(159)}€`)).toEqual({ encoding: "GSM-7", segments: 2, units: 161 });
  });

  it("never splits an extension character across parts", () => {
    // 152 + 2 would straddle the first part's 153rd septet, so "€" opens part two.
    expect(smsSegments(`${gsm(152)}€${gsm(151)}`)).toEqual({ encoding: "GSM-7", segments: 2, units: 305 });
    expect(smsSegments(`${gsm(152)}€${gsm(152)}`)).toEqual({ encoding: "GSM-7", segments: 3, units: 306 });
    expect(smsSegments(gsm(306))).toMatchObject({ segments: 2, units: 306 });
  });
});

describe("smsSegments: UCS-2", () => {
  it.each([
    [1, 1],
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])("%i characters → %i segments", (length, segments) => {
    expect(smsSegments(ucs(length))).toEqual({ encoding: "UCS-2", segments, units: length });
  });

  it("switches the whole message on one character outside GSM-7", () => {
    expect(smsSegments(`${gsm(69)}ж`)).toEqual({ encoding: "UCS-2", segments: 1, units: 70 });
    expect(smsSegments(`${gsm(70)}ж`)).toEqual({ encoding: "UCS-2", segments: 2, units: 71 });
    // "ç" is not in the alphabet (only "Ç" is), nor are curly quotes.
    expect(smsSegments("ça")).toMatchObject({ encoding: "UCS-2" });
    expect(smsSegments("it’s")).toMatchObject({ encoding: "UCS-2" });
  });

  it("counts an extension character as one unit once in UCS-2", () => {
    expect(smsSegments("€ж")).toEqual({ encoding: "UCS-2", segments: 1, units: 2 });
  });

  it("counts an emoji as two units and keeps it whole across parts", () => {
    expect(smsSegments("😀")).toEqual({ encoding: "UCS-2", segments: 1, units: 2 });
    expect(smsSegments(`${ucs(68)}😀`)).toEqual({ encoding: "UCS-2", segments: 1, units: 70 });
    expect(smsSegments(`${ucs(69)}😀`)).toEqual({ encoding: "UCS-2", segments: 2, units: 71 });
    // 66 + 2 would split the pair at the 67th unit, so the emoji opens part two.
    expect(smsSegments(`${ucs(66)}😀${ucs(65)}`)).toEqual({ encoding: "UCS-2", segments: 2, units: 133 });
    expect(smsSegments(`${ucs(66)}😀${ucs(66)}`)).toEqual({ encoding: "UCS-2", segments: 3, units: 134 });
  });
});

describe("smsTooLong", () => {
  it("allows up to 1600 characters, counting an emoji as one", () => {
    expect(MAX_SMS_CHARACTERS).toBe(1600);
    expect(smsTooLong(gsm(1600))).toBe(false);
    expect(smsTooLong(gsm(1601))).toBe(true);
    expect(smsTooLong("😀".repeat(1600))).toBe(false);
    expect(smsTooLong("😀".repeat(1601))).toBe(true);
  });
});
