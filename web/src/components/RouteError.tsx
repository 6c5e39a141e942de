import { isRouteErrorResponse, Link, useRouteError } from "react-router";

/** What a screen shows when it throws while rendering. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <main className="page">
      <h1>Something went wrong</h1>
      <p role="alert">{message}</p>
      <p>
        <Link to="/leads">Back to leads</Link>
      </p>
    </main>
  );
}
