import type { FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { useSession, useSignIn } from "../api/session";
import { FormError } from "../components/FormError";
import { TextField } from "../components/TextField";

/** Where to go after signing in: the page that sent us here, else the overview. */
function destination(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : "/overview";
}

export function SignInScreen() {
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const next = destination(location.state);
  if (session.data) return <Navigate to={next} replace />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const apiKey = String(new FormData(event.currentTarget).get("apiKey") ?? "").trim();
    signIn.mutate(apiKey, { onSuccess: () => navigate(next, { replace: true }) });
  };

  return (
    <main className="page sign-in">
      <title>Sign in · Leadwire</title>
      <h1>Sign in to Leadwire</h1>
      <p>
        Paste an API key. The server trades it for a session cookie; the key is not stored in this browser.
      </p>
      <form onSubmit={submit} className="form">
        <TextField
          label="API key"
          name="apiKey"
          type="password"
          required
          autoComplete="off"
          spellCheck={false}
          error={signIn.error}
        />
        <FormError error={signIn.error} />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
