/** @module Changing a user: role, disabled, or a new password (PATCH /api/v1/users/{username}); their sessions end. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { User, updateUserBody } from "@tradai/core";
import type { z } from "zod";
import { api } from "@/lib/api";
import { usersKey } from "./users-query";

export type UserChange = z.infer<typeof updateUserBody>;

export function useUpdateUser(username: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: UserChange) =>
      api<User>(`/api/v1/users/${encodeURIComponent(username)}`, { method: "PATCH", body: change }),
    onSuccess: () => client.invalidateQueries({ queryKey: usersKey }),
  });
}
