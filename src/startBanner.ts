/**
 * What a person sees in the terminal once Leadwire is up: where to open it, and on the very first
 * start the admin key to sign in with (its only appearance: only its hash is stored).
 */
export function startBanner(options: { publicUrl: string; firstAdminKey: string | undefined }): string {
  const url = `${options.publicUrl}/`;
  const lines = [
    "",
    `  Leadwire is running.  Open ${url} to sign in (API reference: ${options.publicUrl}/docs).`,
  ];
  if (options.firstAdminKey !== undefined) {
    lines.push(
      "",
      "  First start: this is your admin API key. It is shown this once; store it now.",
      "",
      `      ${options.firstAdminKey}`,
      "",
      "  Sign in to the web app with it, or send it as the x-api-key header.",
      "  Lost it? Start with BOOTSTRAP_API_KEY=<a key of 16 or more characters> to get an admin key you chose.",
    );
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}
