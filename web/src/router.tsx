import { createBrowserRouter, Navigate } from "react-router";
import { Layout } from "./components/Layout";
import { RouteError } from "./components/RouteError";
import { LeadScreen } from "./screens/LeadScreen";
import { LeadsScreen } from "./screens/LeadsScreen";
import { NotFoundScreen } from "./screens/NotFoundScreen";
import { ProfilesScreen } from "./screens/ProfilesScreen";
import { SignInScreen } from "./screens/SignInScreen";

// Screens used less often load on first visit, so the first page stays small (the chart library
// is only in the overview's chunk).
export const router = createBrowserRouter([
  { path: "/sign-in", Component: SignInScreen, ErrorBoundary: RouteError },
  {
    path: "/",
    Component: Layout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, element: <Navigate to="/overview" replace /> },
      {
        path: "overview",
        lazy: async () => ({ Component: (await import("./screens/OverviewScreen")).OverviewScreen }),
      },
      { path: "leads", Component: LeadsScreen },
      { path: "leads/:leadId", Component: LeadScreen },
      { path: "profiles", Component: ProfilesScreen },
      {
        path: "profiles/:profileId",
        lazy: async () => ({ Component: (await import("./screens/ProfileScreen")).ProfileScreen }),
      },
      {
        path: "tags",
        lazy: async () => ({ Component: (await import("./screens/TagsScreen")).TagsScreen }),
      },
      {
        path: "messages/unknown",
        lazy: async () => ({ Component: (await import("./screens/ReconcileScreen")).ReconcileScreen }),
      },
      {
        path: "settings",
        lazy: async () => ({ Component: (await import("./screens/SettingsScreen")).SettingsScreen }),
      },
      {
        path: "portal",
        lazy: async () => ({ Component: (await import("./portal/PortalLayout")).PortalLayout }),
        children: [
          { index: true, element: <Navigate to="/portal/endpoints" replace /> },
          {
            path: "endpoints",
            lazy: async () => ({
              Component: (await import("./screens/PortalEndpointsScreen")).PortalEndpointsScreen,
            }),
          },
          {
            path: "deliveries",
            lazy: async () => ({
              Component: (await import("./screens/PortalDeliveriesScreen")).PortalDeliveriesScreen,
            }),
          },
          {
            path: "deliveries/:deliveryId",
            lazy: async () => ({
              Component: (await import("./screens/PortalDeliveryScreen")).PortalDeliveryScreen,
            }),
          },
          {
            path: "events",
            lazy: async () => ({
              Component: (await import("./screens/PortalEventsScreen")).PortalEventsScreen,
            }),
          },
          {
            path: "api-keys",
            lazy: async () => ({
              Component: (await import("./screens/PortalApiKeysScreen")).PortalApiKeysScreen,
            }),
          },
        ],
      },
      { path: "*", Component: NotFoundScreen },
    ],
  },
]);
