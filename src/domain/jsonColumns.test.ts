import { describe, expect, it } from "vitest";
import { CorruptRowError, type JsonColumn } from "../db/jsonColumn.js";
import {
  devOutboxHeaders,
  endpointEventFilter,
  eventBody,
  leadAdditionalInfo,
  leadFollowUpConfig,
  notificationRuleChannels,
  profileExtractKeys,
  profileFollowUpConfig,
  profileNurtureTemplate,
  profileStepTemplates,
  settingsData,
  timelineData,
  unroutedInboundParams,
} from "./jsonColumns.js";
import { effectiveFollowUpConfig } from "./leads/leadView.js";
import { DEFAULT_SETTINGS } from "./settings/settingsSchema.js";

const ROW = "row_1";
const twoSteps = { "1": { hours: 24, channel: "text" }, "2": { hours: 48, channel: "email" } };

/** Each reader with a row its writers store and rows it must refuse. */
const cases: { reader: JsonColumn<unknown>; good: unknown; corrupt: string[] }[] = [
  {
    reader: profileFollowUpConfig,
    good: twoSteps,
    corrupt: ['{"1":{"hours":"24","channel":"text"}}', '{"2":{"hours":1,"channel":"text"}}', "[]"],
  },
  { reader: leadFollowUpConfig, good: { "1": { hours: 1, channel: "call" } }, corrupt: ['{"1":{}}'] },
  {
    reader: profileStepTemplates,
    good: { "1": { text: "Hi {{firstName}}" }, "2": { text: "Still there?", subject: "Hello" } },
    corrupt: ['{"1":{"body":"Hi"}}', '{"one":{"text":"Hi"}}'],
  },
  {
    reader: profileNurtureTemplate,
    good: { text: "Checking in, {{firstName}}" },
    corrupt: ['{"text":""}', '{"text":"Hi {{nobody}}"}', "null"],
  },
  { reader: profileExtractKeys, good: ["budget", "moveInDate"], corrupt: ['"budget"', "[1]"] },
  {
    reader: leadAdditionalInfo,
    good: { budget: 100, tags: ["a"], nested: { ok: null } },
    corrupt: ["[]", '"text"', "null"],
  },
  { reader: eventBody, good: { event: "optOut", data: {}, timestamp: "x" }, corrupt: ["[]", "1"] },
  { reader: timelineData, good: { messageId: "msg_1", status: "sent" }, corrupt: ["[]", '"sent"'] },
  { reader: endpointEventFilter, good: ["message.sent", "optOut"], corrupt: ["[]", '["no.such.event"]'] },
  { reader: notificationRuleChannels, good: ["sms", "email"], corrupt: ['["fax"]', '"sms"'] },
  { reader: devOutboxHeaders, good: { "List-Unsubscribe": "<https://x>" }, corrupt: ['{"a":1}', "[]"] },
];

describe("the JSON column readers", () => {
  it.each(cases)("$reader.table.$reader.column reads a good row as stored", ({ reader, good }) => {
    expect(reader.read(JSON.stringify(good), ROW)).toEqual(good);
  });

  it.each(cases)("$reader.table.$reader.column refuses a corrupt row by name", ({ reader, corrupt }) => {
    for (const stored of [...corrupt, "{not json"]) {
      expect(() => reader.read(stored, ROW), stored).toThrow(
        new RegExp(`^Corrupt stored JSON in ${reader.table}\\.${reader.column}, row ${ROW}: `),
      );
      expect(() => reader.read(stored, ROW)).toThrow(CorruptRowError);
    }
  });

  it("reads additionalInfo beyond the input's 500 keys: merges may store more", () => {
    const info = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(leadAdditionalInfo.read(JSON.stringify(info), ROW))).toHaveLength(600);
  });

  it("reads settings with the defaults filling what the org never changed", () => {
    expect(settingsData.read("{}", "org_1")).toEqual(DEFAULT_SETTINGS);
    expect(settingsData.read('{"assistantName":"Ava"}', "org_1").assistantName).toBe("Ava");
    expect(() => settingsData.read('{"followUpWindow":{"startHour":30}}', "org_1")).toThrow(
      /^Corrupt stored JSON in settings\.data, row org_1: followUpWindow\.startHour: /,
    );
  });

  it("reads unrouted params that do not fit as {}, as the listing always did, but not text that is not JSON", () => {
    expect(unroutedInboundParams.read('{"Body":"hi","MediaUrl":["a","b"]}', "twilio/SM1")).toEqual({
      Body: "hi",
      MediaUrl: ["a", "b"],
    });
    expect(unroutedInboundParams.read('{"Body":1}', "twilio/SM1")).toEqual({});
    expect(() => unroutedInboundParams.read("{", "twilio/SM1")).toThrow(
      "Corrupt stored JSON in unrouted_inbound.params, row twilio/SM1: not valid JSON",
    );
  });
});

describe("effectiveFollowUpConfig", () => {
  const lead = {
    id: "lead_1",
    profile_id: "prf_1",
    follow_up_config: null,
    profile_follow_up_config: JSON.stringify(twoSteps),
  };

  it("is the lead's own config when it has one, else its profile's", () => {
    expect(effectiveFollowUpConfig(lead)).toEqual(twoSteps);
    const own = { "1": { hours: 2, channel: "text" } };
    expect(effectiveFollowUpConfig({ ...lead, follow_up_config: JSON.stringify(own) })).toEqual(own);
  });

  it("names the row the config came from when it is corrupt", () => {
    expect(() => effectiveFollowUpConfig({ ...lead, follow_up_config: "[]" })).toThrow(
      "Corrupt stored JSON in leads.follow_up_config, row lead_1: ",
    );
    expect(() => effectiveFollowUpConfig({ ...lead, profile_follow_up_config: "{" })).toThrow(
      "Corrupt stored JSON in profiles.follow_up_config, row prf_1: not valid JSON",
    );
  });
});
