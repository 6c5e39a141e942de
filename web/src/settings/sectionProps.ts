import type { Settings } from "../api/settings";
import type { SettingsDraft } from "./settingsDraft";

/** What every section of the settings form gets: the draft, a setter, the last error, the saved settings. */
export interface SectionProps {
  draft: SettingsDraft;
  set: <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => void;
  error: Error | null;
  saved: Settings;
}
