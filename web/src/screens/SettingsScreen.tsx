import { useSettings } from "../api/settings";
import { QueryFailure } from "../components/QueryFailure";
import { SettingsForm } from "../settings/SettingsForm";
import "../settings/settings.css";

export function SettingsScreen() {
  const settings = useSettings();
  return (
    <>
      <title>Settings · Leadwire</title>
      <h1>Settings</h1>
      {settings.isPending && <p role="status">Loading the settings…</p>}
      {settings.isError && <QueryFailure error={settings.error} what="the settings" />}
      {settings.data && <SettingsForm saved={settings.data} />}
    </>
  );
}
