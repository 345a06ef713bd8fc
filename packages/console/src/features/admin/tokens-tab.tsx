/** @module Service-account tokens: list (never a secret), create (its secret shown once), revoke. */
import type { ServiceToken } from "@tradai/core";
import { toast } from "sonner";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { ConfirmDialog } from "./confirm-dialog";
import { TokenCreateDialog } from "./token-create-dialog";
import { useRevokeToken } from "./token-revoke-mutation";
import { useTokens } from "./tokens-query";
import { When } from "./when";

function TokenStatus({ token }: { token: ServiceToken }) {
  if (token.revoked_at)
    return (
      <>
        <Badge tone="danger">revoked</Badge>
        <When iso={token.revoked_at} />
        <span className="block text-xs text-muted-foreground">by {token.revoked_by}</span>
      </>
    );
  if (new Date(token.expires_at).getTime() <= Date.now()) return <Badge tone="warning">expired</Badge>;
  return <Badge tone="success">active</Badge>;
}

function RevokeButton({ token }: { token: ServiceToken }) {
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="outline" aria-label={`Revoke ${token.name}`}>
          Revoke
        </Button>
      }
      title={`Revoke ${token.name}?`}
      description="Every process using this token loses access at once. This cannot be undone, and its name cannot be used again."
      confirmLabel="Revoke"
      onConfirm={async () => {
        await revoke.mutateAsync(token.id);
        toast(`${token.name} is revoked`);
      }}
    />
  );
}

export function TokensTab() {
  const tokens = useTokens();
  return (
    <Card aria-labelledby="tokens-title">
      <CardHeader>
        <CardTitle id="tokens-title">Service tokens</CardTitle>
        <TokenCreateDialog />
      </CardHeader>
      <CardContent>
        <QueryState query={tokens} loadingLabel="Loading tokens">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No service tokens. Create one for each trading process, CI job or script.</Empty>
            ) : (
              <Table aria-label="Service tokens" data-testid="tokens">
                <THead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Roles</Th>
                    <Th>Environments</Th>
                    <Th>Created</Th>
                    <Th>Expires</Th>
                    <Th>Last used</Th>
                    <Th>Status</Th>
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  </tr>
                </THead>
                <TBody>
                  {data.items.map((token) => (
                    <Tr key={token.id} data-token={token.name}>
                      <Td>
                        <span className="block font-medium whitespace-nowrap">{token.name}</span>
                        <code className="text-xs text-muted-foreground">{token.prefix}…</code>
                      </Td>
                      <Td>
                        <span className="flex flex-wrap gap-1">
                          {token.roles.map((role) => (
                            <Badge key={role}>{role}</Badge>
                          ))}
                        </span>
                      </Td>
                      <Td>{token.environments ? token.environments.join(", ") : "every environment"}</Td>
                      <Td>
                        <When iso={token.created_at} />
                        <span className="block text-xs text-muted-foreground">by {token.created_by}</span>
                      </Td>
                      <Td>
                        <When iso={token.expires_at} />
                      </Td>
                      <Td>
                        <When iso={token.last_used_at} none="never" />
                      </Td>
                      <Td data-column="status">
                        <TokenStatus token={token} />
                      </Td>
                      <Td>{!token.revoked_at && <RevokeButton token={token} />}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
