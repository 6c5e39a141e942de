import { Link } from "react-router";

export function NotFoundScreen() {
  return (
    <>
      <title>Not found · Leadwire</title>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/leads">Go to the leads</Link>.
      </p>
    </>
  );
}
