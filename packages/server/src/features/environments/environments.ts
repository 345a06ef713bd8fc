/** @module The configured environments (`TRADAI_ENVIRONMENTS`) and the default one. */
import type { Queryable } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";

export interface Environments {
  readonly names: readonly string[];
  readonly defaultName: string;
  /** The environment a request means: the one it names, or the default. @throws InvalidInputError */
  resolve(requested: string | undefined): string;
}

export function environmentsFactory(names: readonly string[], defaultName: string): Environments {
  return {
    names,
    defaultName,
    resolve(requested) {
      const name = requested ?? defaultName;
      if (!names.includes(name)) {
        throw InvalidInputError.field(
          "query",
          "environment",
          `unknown environment "${name}"; known: ${names.join(", ")}`,
        );
      }
      return name;
    },
  };
}

/** Makes sure every configured environment has its row (activations reference them). */
export async function syncEnvironments(db: Queryable, names: readonly string[]): Promise<void> {
  await db.query("INSERT INTO environments (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING", [names]);
}
