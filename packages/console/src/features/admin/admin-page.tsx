/**
 * @module Admin (/admin?tab=…): users, roles, service tokens, environments and freeze windows.
 * Each tab is offered only to a role the server lets do it; others are told they may not.
 */
import { type Action, rolesFor } from "@tradai/core";
import { useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { Loading } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { allows } from "../session/can";
import { useSession } from "../session/session-query";
import { ADMIN_ACTIONS, ADMIN_TAB_ACTIONS } from "./admin-actions";
import { EnvironmentsTab } from "./environments-tab";
import { RolesTab } from "./roles-tab";
import { TokensTab } from "./tokens-tab";
import { UsersTab } from "./users-tab";

const TABS = [
  { id: "users", label: "Users", action: ADMIN_TAB_ACTIONS.users, Content: UsersTab },
  { id: "roles", label: "Roles", action: ADMIN_TAB_ACTIONS.roles, Content: RolesTab },
  { id: "tokens", label: "Service tokens", action: ADMIN_TAB_ACTIONS.tokens, Content: TokensTab },
  { id: "environments", label: "Environments", action: ADMIN_TAB_ACTIONS.environments, Content: EnvironmentsTab },
] as const satisfies readonly { id: string; label: string; action: Action; Content: () => unknown }[];

export function AdminPage() {
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const tabs = TABS.filter((tab) => allows(session.data, tab.action));

  if (session.isPending) return <Loading label="Loading your session" />;
  if (tabs.length === 0) {
    return (
      <>
        <PageHeader title="Admin" />
        <Alert tone="warning" data-testid="admin-forbidden">
          Only {[...new Set(ADMIN_ACTIONS.map(rolesFor))].join(" or ")} may manage users, service tokens and
          environments. You are signed in as {session.data?.name} ({session.data?.roles.join(", ") || "no role"}).
        </Alert>
      </>
    );
  }

  const requested = search.get("tab");
  const current = (tabs.find((t) => t.id === requested) ?? tabs[0])?.id;
  return (
    <>
      <PageHeader title="Admin" description="Users, roles, service tokens, environments and freeze windows." />
      <Tabs value={current} onValueChange={(tab) => setSearch({ tab }, { replace: true })} activationMode="manual">
        <TabsList aria-label="Admin sections">
          {tabs.map((tab) => (
            <TabsTrigger key={tab.id} value={tab.id}>
              {tab.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {tabs.map((tab) => (
          <TabsContent key={tab.id} value={tab.id}>
            <tab.Content />
          </TabsContent>
        ))}
      </Tabs>
    </>
  );
}
