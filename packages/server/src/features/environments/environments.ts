/** @module The configured environments (`TRADAI_ENVIRONMENTS`) and the default one. */
import type { FieldError } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";

export interface EnvironmentField {
  location: FieldError["location"];
  field: string;
}

const QUERY_FIELD: EnvironmentField = { location: "query", field: "environment" };

export interface Environments {
  readonly names: readonly string[];
  readonly defaultName: string;
  /**
   * The environment a request means: the one it names, or the default. `where` names the field for
   * the error (default: the `environment` query parameter). @throws InvalidInputError
   */
  resolve(requested: string | undefined, where?: EnvironmentField): string;
}

export function environmentsFactory(names: readonly string[], defaultName: string): Environments {
  return {
    names,
    defaultName,
    resolve(requested, where = QUERY_FIELD) {
      const name = requested ?? defaultName;
      if (!names.includes(name)) {
        throw InvalidInputError.field(
          where.location,
          where.field,
          `unknown environment "${name}"; known: ${names.join(", ")}`,
        );
      }
      return name;
    },
  };
}

/**
 * Makes sure every configured environment has its row (activations reference them). A new one
 * gets the default policy: promoted from the environment listed before it, and approval required
 * when it is `prod`. Existing rows keep the policy admins gave them.
 */
export async function syncEnvironments(db: Queryable, names: readonly string[]): Promise<void> {
  for (const [i, name] of names.entries()) {
    await db.query(
      `INSERT INTO environments (name, requires_approval, promote_from) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING`,
      [name, name === "prod", i > 0 ? names[i - 1] : null],
    );
  }
}
