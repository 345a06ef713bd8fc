/** @module The users (GET /api/v1/users, admin). */
import { useQuery } from "@tanstack/react-query";
import type { User } from "@tradai/core";
import { api } from "@/lib/api";

export const usersKey = ["users"] as const;

export function useUsers() {
  return useQuery({
    queryKey: usersKey,
    queryFn: () => api<{ items: User[] }>("/api/v1/users"),
  });
}
