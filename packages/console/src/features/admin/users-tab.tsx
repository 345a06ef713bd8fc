/** @module The users: who may sign in, with which role; create, change role, disable or enable, reset a password. */
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useSession } from "../session/session-query";
import { UserCreateDialog } from "./user-create-dialog";
import { UserDisableButton } from "./user-disable-button";
import { UserPasswordDialog } from "./user-password-dialog";
import { UserRoleDialog } from "./user-role-dialog";
import { useUsers } from "./users-query";
import { When } from "./when";

export function UsersTab() {
  const users = useUsers();
  const me = useSession().data;
  return (
    <Card aria-labelledby="users-title">
      <CardHeader>
        <CardTitle id="users-title">Users</CardTitle>
        <UserCreateDialog />
      </CardHeader>
      <CardContent>
        <QueryState query={users} loadingLabel="Loading users">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No users yet.</Empty>
            ) : (
              <Table aria-label="Users" data-testid="users">
                <THead>
                  <tr>
                    <Th>User</Th>
                    <Th>Role</Th>
                    <Th>Status</Th>
                    <Th>Created</Th>
                    <Th>Password changed</Th>
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  </tr>
                </THead>
                <TBody>
                  {data.items.map((user) => {
                    // The server refuses an admin's disabling or demoting themselves: not offered.
                    const self = me?.kind === "user" && me.name === user.username;
                    return (
                      <Tr key={user.username} data-user={user.username}>
                        <Td className="font-medium whitespace-nowrap">
                          {user.username}
                          {self && <span className="block text-xs font-normal text-muted-foreground">(you)</span>}
                        </Td>
                        <Td data-column="role">
                          <Badge tone={user.role === "admin" ? "info" : "neutral"}>{user.role}</Badge>
                        </Td>
                        <Td data-column="status">
                          {user.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}
                        </Td>
                        <Td>
                          <When iso={user.created_at} />
                          <span className="block text-xs text-muted-foreground">by {user.created_by}</span>
                        </Td>
                        <Td>
                          <When iso={user.password_changed_at} />
                        </Td>
                        <Td>
                          <div className="flex flex-wrap gap-1.5">
                            {!self && <UserRoleDialog user={user} />}
                            <UserPasswordDialog user={user} />
                            {!self && <UserDisableButton user={user} />}
                          </div>
                        </Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </Table>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
