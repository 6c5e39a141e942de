import { describe, expect, it } from "vitest";
import { startBanner } from "./startBanner.js";

describe("the start banner", () => {
  it("says where to open Leadwire, and on the first start shows the admin key once with how to get another", () => {
    const first = startBanner({ publicUrl: "http://localhost:3000", firstAdminKey: "lw_abc123" });
    expect(first).toContain("Open http://localhost:3000/ to sign in");
    expect(first).toContain("      lw_abc123\n");
    expect(first).toContain("BOOTSTRAP_API_KEY=");
    const later = startBanner({ publicUrl: "https://leads.acme.test", firstAdminKey: undefined });
    expect(later).toContain("Open https://leads.acme.test/ to sign in");
    expect(later).not.toContain("lw_");
    expect(later).not.toContain("BOOTSTRAP_API_KEY");
  });
});
