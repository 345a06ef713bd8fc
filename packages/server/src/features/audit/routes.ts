/** @module HTTP routes of the audit trail: list, verify the chain, restore a version's content. */
import { auditEntry, auditList, auditQuery, auditVerification, restoreBody } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Database } from "../../db/database.js";
import { NotFoundError } from "../../http/errors.js";
import { problemResponses } from "../../http/openapi.js";
import { activationResponses, answerActivation } from "../activation/answer.js";
import type { ActivationService } from "../activation/service.js";
import { requestActor } from "../auth/actor.js";
import type { ChangeRequestService } from "../change-requests/service.js";
import type { ConfigService } from "../configs/service.js";
import type { Environments } from "../environments/environments.js";
import { restoreFrom } from "./restore.js";
import { auditStore } from "./store.js";
import { verifyAuditChain } from "./verify.js";

const tags = ["audit"];
const seqParams = z.object({ seq: z.coerce.number().int().positive() });

export interface AuditRouteDeps {
  db: Database;
  configs: ConfigService;
  activation: ActivationService;
  changeRequests: ChangeRequestService;
  environments: Environments;
}

export function auditRoutes(app: FastifyInstance, deps: AuditRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/audit",
    {
      config: { action: "audit.read" },
      schema: {
        tags,
        summary: "Audit entries, newest first, filtered",
        querystring: auditQuery,
        response: { 200: auditList, ...problemResponses(422) },
      },
    },
    async (request) => {
      const { items, total } = await auditStore(deps.db).list(request.query);
      const next = request.query.offset + items.length;
      return {
        items,
        total,
        limit: request.query.limit,
        offset: request.query.offset,
        next_offset: next < total ? next : null,
      };
    },
  );

  r.get(
    "/api/v1/audit/verify",
    {
      config: { action: "audit.read" },
      schema: {
        tags,
        summary: "Recompute the hash chain; reports the first broken link",
        response: { 200: auditVerification },
      },
    },
    () => verifyAuditChain(deps.db),
  );

  r.get(
    "/api/v1/audit/:seq",
    {
      config: { action: "audit.read" },
      schema: {
        tags,
        summary: "One audit entry",
        params: seqParams,
        response: { 200: auditEntry, ...problemResponses(404, 422) },
      },
    },
    async (request) => {
      const entry = await auditStore(deps.db).get(request.params.seq);
      if (!entry) throw new NotFoundError(`no audit entry ${request.params.seq}`);
      return entry;
    },
  );

  r.post(
    "/api/v1/audit/:seq/restore",
    {
      config: { action: "audit.restore" },
      schema: {
        tags,
        summary:
          "From a config.create entry: a version with that content, sent through activation (approvals and freezes apply)",
        params: seqParams,
        body: restoreBody,
        response: activationResponses,
      },
    },
    async (request, reply) => {
      const restored = await restoreFrom(deps, request.params.seq, requestActor(request), {
        environment: request.body?.environment,
        expectedActive: request.body?.expected_active,
        freezeOverrideReason: request.body?.freeze_override_reason,
      });
      return answerActivation(reply, deps, restored.strategy, restored.configId, restored.outcome);
    },
  );
}
