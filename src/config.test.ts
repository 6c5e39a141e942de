import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const SID = `AC${"0".repeat(32)}`;

describe("Twilio configuration", () => {
  it("starts with TWILIO_AUTH_TOKEN alone: inbound signatures are checked, SMS is not sent through Twilio", () => {
    const config = loadConfig({ TWILIO_AUTH_TOKEN: "token" });
    expect(config.twilioInboundAuthToken).toBe("token");
    expect(config.twilio).toBeUndefined();
  });

  it.each([
    [{ TWILIO_FROM: "+12025550100" }, /TWILIO_FROM needs TWILIO_ACCOUNT_SID/],
    [
      { TWILIO_AUTH_TOKEN: "t", TWILIO_MESSAGING_SERVICE_SID: `MG${"0".repeat(32)}` },
      /TWILIO_MESSAGING_SERVICE_SID needs TWILIO_ACCOUNT_SID/,
    ],
    [
      { TWILIO_API_KEY_SID: `SK${"0".repeat(32)}` },
      /TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together/,
    ],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_FROM: "+12025550100" },
      /TWILIO_AUTH_TOKEN .* must be set with TWILIO_ACCOUNT_SID/,
    ],
    [{ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "t" }, /TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/],
  ])("refuses to start with %j, naming the variables", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("sends through Twilio with an account, a token and a sender", () => {
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "t",
      TWILIO_FROM: "+12025550100",
    });
    expect(config.twilio).toMatchObject({ accountSid: SID, from: "+12025550100" });
    expect(config.twilioInboundAuthToken).toBe("t");
  });
});
