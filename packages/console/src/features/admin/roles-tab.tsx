/**
 * @module What each role may do: core's PERMISSIONS table itself (the one the server enforces on
 * every route), so this page cannot disagree with the server.
 */
import { ACTIONS, PERMISSIONS, type Permission, ROLES } from "@tradai/core";
import { Check, Minus } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";

const SPECIAL: Record<"anyone" | "run-token", string> = {
  anyone: "Anyone, without signing in",
  "run-token": "Only a run's own token (given to its worker by the launcher)",
};

function Allowed({ yes }: { yes: boolean }) {
  return yes ? (
    <span className="inline-flex items-center text-green-800">
      <Check aria-hidden className="size-4" />
      <span className="sr-only">allowed</span>
    </span>
  ) : (
    <span className="inline-flex items-center text-slate-500">
      <Minus aria-hidden className="size-4" />
      <span className="sr-only">not allowed</span>
    </span>
  );
}

export function RolesTab() {
  return (
    <Card aria-labelledby="roles-title">
      <CardHeader>
        <CardTitle id="roles-title">Roles</CardTitle>
        <p className="w-full text-sm text-muted-foreground">
          Each action of the API and the roles that may do it: the very table the server enforces. Roles are fixed; give
          a user or a token the role it needs.
        </p>
      </CardHeader>
      <CardContent>
        <Table aria-label="What each role may do" data-testid="roles">
          <THead>
            <tr>
              <Th>Action</Th>
              {ROLES.map((role) => (
                <Th key={role} className="text-center">
                  {role}
                </Th>
              ))}
            </tr>
          </THead>
          <TBody>
            {ACTIONS.map((action) => {
              const permission: Permission = PERMISSIONS[action];
              return (
                <Tr key={action} data-action={action}>
                  <Th scope="row" className="h-auto py-2 text-left font-mono text-xs font-normal text-foreground">
                    {action}
                  </Th>
                  {typeof permission === "string" ? (
                    <Td colSpan={ROLES.length} className="text-muted-foreground">
                      {SPECIAL[permission]}
                    </Td>
                  ) : (
                    ROLES.map((role) => (
                      <Td key={role} className="text-center" data-role={role}>
                        <Allowed yes={permission.includes(role)} />
                      </Td>
                    ))
                  )}
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </CardContent>
    </Card>
  );
}
