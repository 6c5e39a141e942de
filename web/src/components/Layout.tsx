import { type RefObject, useEffect, useRef } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useSession, useSignOut } from "../api/session";
import { FormError } from "./FormError";
import { QueryFailure } from "./QueryFailure";

function SignOutButton() {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <div className="sign-out">
      <button
        type="button"
        className="button-secondary"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, { onSuccess: () => navigate("/sign-in", { replace: true }) })
        }
      >
        Sign out
      </button>
      <FormError error={signOut.error} />
    </div>
  );
}

/**
 * When the screen changes (another path; not a new query string, which filters use), focus moves to
 * the main region, so keyboard and screen-reader users go on from the new screen instead of from a
 * link that is gone (focus would fall back to the top of the page) or one still in the header.
 */
function useFocusMainOnNewScreen(main: RefObject<HTMLElement | null>, pathname: string) {
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    main.current?.focus();
  }, [main, pathname]);
}

/** The signed-in frame: navigation, sign-out and the current screen. Signed out, it sends to sign-in. */
export function Layout() {
  const session = useSession();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  useFocusMainOnNewScreen(main, location.pathname);
  if (session.isPending) return <p role="status">Loading…</p>;
  if (session.isError) {
    return (
      <main className="page">
        <h1>Leadwire</h1>
        <QueryFailure error={session.error} what="your session" />
      </main>
    );
  }
  if (session.data === null) {
    return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Leadwire</span>
        <nav aria-label="Main">
          <ul className="nav-list">
            <li>
              <NavLink to="/overview">Overview</NavLink>
            </li>
            <li>
              <NavLink to="/leads">Leads</NavLink>
            </li>
            <li>
              <NavLink to="/profiles">Profiles</NavLink>
            </li>
            <li>
              <NavLink to="/tags">Tags</NavLink>
            </li>
            <li>
              <NavLink to="/messages/unknown">Messages to reconcile</NavLink>
            </li>
            <li>
              <NavLink to="/settings">Settings</NavLink>
            </li>
            <li>
              <NavLink to="/portal">Developer Portal</NavLink>
            </li>
          </ul>
        </nav>
        <SignOutButton />
      </header>
      <main ref={main} id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
