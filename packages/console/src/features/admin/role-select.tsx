/** @module A select of the roles (core's ROLES, the server's own list). */
import { ROLES } from "@tradai/core";
import type { ComponentProps } from "react";
import { Select } from "@/components/ui/input";

export function RoleSelect(props: ComponentProps<typeof Select>) {
  return (
    <Select {...props}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </Select>
  );
}
