/**
 * @module Restore: the content a `config.create` entry recorded becomes a live version again (the
 * same one when it still is; a new one when it was deprecated), then goes through the normal
 * activation path, so approvals and freezes apply as to any other activation.
 */

import type { Database } from "../../db/database.js";
import { InvalidInputError, NotFoundError } from "../../http/errors.js";
import type { ActivationOutcome, ActivationService } from "../activation/service.js";
import type { Actor } from "../auth/actor.js";
import type { ConfigService } from "../configs/service.js";
import type { Environments } from "../environments/environments.js";
import { auditStore } from "./store.js";

export async function restoreFrom(
  deps: { db: Database; configs: ConfigService; activation: ActivationService; environments: Environments },
  seq: number,
  actor: Actor,
  options: {
    environment?: string | undefined;
    expectedActive?: string | null | undefined;
    freezeOverrideReason?: string | undefined;
  },
): Promise<{ strategy: string; configId: string; outcome: ActivationOutcome }> {
  const environment = deps.environments.resolve(options.environment, { location: "body", field: "environment" });
  const entry = await auditStore(deps.db).get(seq);
  if (!entry) throw new NotFoundError(`no audit entry ${seq}`);
  const after = entry.after as { strategy_name?: unknown; config_data?: unknown; description?: unknown } | null;
  if (
    entry.action !== "config.create" ||
    typeof after?.strategy_name !== "string" ||
    typeof after.config_data !== "object"
  ) {
    throw InvalidInputError.field(
      "path",
      "seq",
      `audit entry ${seq} is a ${entry.action}, not a config.create: it holds no version content`,
    );
  }
  const { version } = await deps.configs.create(
    {
      strategy_name: after.strategy_name,
      config_data: after.config_data as Record<string, unknown>,
      description: `restored from audit entry ${seq}${typeof after.description === "string" ? `: ${after.description}` : ""}`,
    },
    actor,
    environment,
  );
  const outcome = await deps.activation.request({
    strategy: version.strategy_name,
    configId: version.config_id,
    environment,
    expectedActive: options.expectedActive,
    freezeOverrideReason: options.freezeOverrideReason,
    actor,
  });
  return { strategy: version.strategy_name, configId: version.config_id, outcome };
}
