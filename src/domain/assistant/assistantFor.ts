import type { Settings } from "../settings/settingsSchema.js";
import type { Assistant } from "./assistant.js";

/** The assistant an org's settings choose (brain, model), built by app.ts from the configuration. */
export type AssistantFor = (settings: Settings) => Assistant;
