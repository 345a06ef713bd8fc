/** @module Signed-in pages only: anyone else goes to the sign-in page (and comes back after). */
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { ErrorState, Loading } from "@/components/states";
import { sessionKey, useSession } from "@/features/session/session-query";
import { UNAUTHENTICATED_EVENT } from "@/lib/api";

export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();

  useEffect(() => {
    const signedOut = () => {
      client.setQueryData(sessionKey, null);
      navigate("/sign-in", { replace: true, state: { from: location.pathname + location.search } });
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, signedOut);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, signedOut);
  }, [client, navigate, location]);

  if (session.isPending)
    return (
      <div className="p-6">
        <Loading label="Checking your session" />
      </div>
    );
  if (session.error)
    return (
      <div className="p-6">
        <ErrorState error={session.error} />
      </div>
    );
  if (!session.data) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}
