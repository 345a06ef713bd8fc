/** @module Creating a user (POST /api/v1/users). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { createUserBody, User } from "@tradai/core";
import type { z } from "zod";
import { api } from "@/lib/api";
import { usersKey } from "./users-query";

export type NewUser = z.infer<typeof createUserBody>;

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => api<User>("/api/v1/users", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: usersKey }),
  });
}
