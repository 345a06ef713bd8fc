/** @module The frame of every signed-in page: header (environment switcher, user, role, sign out) and navigation. */
import { useQueryClient } from "@tanstack/react-query";
import type { Action } from "@tradai/core";
import { Menu } from "lucide-react";
import { Suspense, useState } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { Loading } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ADMIN_ACTIONS } from "@/features/admin/admin-actions";
import { EnvironmentSwitcher } from "@/features/environments/environment-switcher";
import { useLive } from "@/features/live/live-updates";
import { allows } from "@/features/session/can";
import { sessionKey, useSession } from "@/features/session/session-query";
import { api } from "@/lib/api";
import { cn } from "@/lib/utils";
import { PageErrorBoundary } from "./page-error-boundary";

/** Each page and what the permission table must allow to offer it (any of several). */
const NAV: { to: string; label: string; action: Action | readonly Action[] }[] = [
  { to: "/", label: "Dashboard", action: "configs.read" },
  { to: "/strategies", label: "Strategies", action: "configs.read" },
  { to: "/change-requests", label: "Change requests", action: "change_requests.read" },
  { to: "/runs", label: "Runs", action: "runs.read" },
  { to: "/workers", label: "Workers", action: "workers.read" },
  { to: "/rollouts", label: "Rollouts", action: "rollouts.read" },
  { to: "/audit", label: "Audit trail", action: "audit.read" },
  { to: "/catalog", label: "Catalog", action: "catalog.read" },
  { to: "/imports", label: "Imports", action: "imports.read" },
  { to: "/admin", label: "Admin", action: ADMIN_ACTIONS },
];

function NavItem({ to, label, onClick }: { to: string; label: string; onClick?: () => void }) {
  return (
    <NavLink
      to={to}
      end={to === "/"}
      onClick={onClick}
      className={({ isActive }) =>
        cn(
          "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
          isActive && "bg-slate-200 text-slate-950",
        )
      }
    >
      {label}
    </NavLink>
  );
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const { data: me } = useSession();
  const items = NAV.filter((item) => allows(me, item.action));
  return (
    <nav aria-label="Main" className="space-y-1">
      {items.map((item) => (
        <NavItem key={item.to} to={item.to} label={item.label} onClick={onNavigate} />
      ))}
    </nav>
  );
}

function LiveIndicator() {
  const { status } = useLive();
  const label = { connecting: "connecting", live: "live", reconnecting: "reconnecting" }[status];
  return (
    <span className="flex items-center gap-1.5 text-xs text-slate-200" data-testid="live-status" data-status={status}>
      <span aria-hidden className={cn("size-2 rounded-full", status === "live" ? "bg-green-400" : "bg-amber-400")} />
      {label}
    </span>
  );
}

export function Layout() {
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const me = session.data;

  const signOut = async () => {
    await api("/api/v1/auth/logout", { method: "POST" }).catch(() => undefined);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    client.setQueryData(sessionKey, null);
    navigate("/sign-in", { replace: true });
  };

  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 bg-slate-900 px-4 py-2 text-white">
        <Button
          variant="ghost"
          size="icon"
          className="text-white hover:bg-slate-700 md:hidden"
          aria-label="Menu"
          aria-expanded={menuOpen}
          aria-controls="mobile-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <Menu />
        </Button>
        <span className="font-semibold">TradAI</span>
        <EnvironmentSwitcher />
        <LiveIndicator />
        <div className="ml-auto flex items-center gap-2 text-sm">
          <span data-testid="current-user">{me?.name}</span>
          {me?.roles.map((role) => (
            <Badge key={role} tone="info" data-testid="current-role">
              {role}
            </Badge>
          ))}
          <Button size="sm" variant="secondary" onClick={signOut}>
            Sign out
          </Button>
        </div>
      </header>
      {menuOpen && (
        <div id="mobile-nav" className="border-b bg-white p-2 md:hidden">
          <Navigation onNavigate={() => setMenuOpen(false)} />
        </div>
      )}
      <div className="flex">
        <aside className="hidden min-h-[calc(100vh-3rem)] w-52 shrink-0 border-r bg-white p-3 md:block">
          <Navigation />
        </aside>
        <main id="main" className="min-w-0 flex-1 p-4 md:p-6">
          {/* A new boundary per path: leaving a page that failed shows the next one. */}
          <PageErrorBoundary key={location.pathname}>
            <Suspense fallback={<Loading label="Loading the page" />}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        </main>
      </div>
    </div>
  );
}
