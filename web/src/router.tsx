import { createBrowserRouter, Navigate } from "react-router";
import { Layout } from "./components/Layout";
import { RouteError } from "./components/RouteError";
import { LeadScreen } from "./screens/LeadScreen";
import { LeadsScreen } from "./screens/LeadsScreen";
import { NotFoundScreen } from "./screens/NotFoundScreen";
import { ProfilesScreen } from "./screens/ProfilesScreen";
import { SignInScreen } from "./screens/SignInScreen";

export const router = createBrowserRouter([
  { path: "/sign-in", Component: SignInScreen, ErrorBoundary: RouteError },
  {
    path: "/",
    Component: Layout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, element: <Navigate to="/leads" replace /> },
      { path: "leads", Component: LeadsScreen },
      { path: "leads/:leadId", Component: LeadScreen },
      { path: "profiles", Component: ProfilesScreen },
      { path: "*", Component: NotFoundScreen },
    ],
  },
]);
