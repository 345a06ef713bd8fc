/** @module Disabling a user (confirmed: their sessions end at once) or enabling them again. */
import type { User } from "@tradai/core";
import { toast } from "sonner";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "./confirm-dialog";
import { useUpdateUser } from "./user-update-mutation";

export function UserDisableButton({ user }: { user: User }) {
  const update = useUpdateUser(user.username);
  if (user.disabled) {
    return (
      <>
        <Button
          size="sm"
          variant="outline"
          aria-label={`Enable ${user.username}`}
          disabled={update.isPending}
          onClick={() =>
            update.mutate({ disabled: false }, { onSuccess: () => toast(`${user.username} may sign in again`) })
          }
        >
          Enable
        </Button>
        {update.error && <ErrorState error={update.error} className="mt-2" />}
      </>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="outline" aria-label={`Disable ${user.username}`}>
          Disable
        </Button>
      }
      title={`Disable ${user.username}?`}
      description="Their sessions end at once and they cannot sign in until an admin enables them again."
      confirmLabel="Disable"
      onConfirm={async () => {
        await update.mutateAsync({ disabled: true });
        toast(`${user.username} is disabled`);
      }}
    />
  );
}
