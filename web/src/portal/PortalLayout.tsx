import { NavLink, Outlet } from "react-router";
import "./portal.css";

const SECTIONS = [
  { to: "/portal/endpoints", label: "Endpoints" },
  { to: "/portal/deliveries", label: "Deliveries" },
  { to: "/portal/events", label: "Events" },
  { to: "/portal/api-keys", label: "API keys" },
];

/** The Developer Portal's frame: its own navigation above the current portal screen. */
export function PortalLayout() {
  return (
    <div className="portal">
      <nav aria-label="Developer Portal" className="subnav">
        <span className="subnav-title">Developer Portal</span>
        <ul className="nav-list">
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
