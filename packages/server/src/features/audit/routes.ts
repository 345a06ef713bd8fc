/** @module HTTP routes of the audit trail, a read-only feature: list, one entry, verify the chain, the tamper alarm's status, check anchors. (Restore is an activation: features/activation.) */
import {
  anchorsCheck,
  anchorsCheckBody,
  auditChainStatus,
  auditEntry,
  auditList,
  auditQuery,
  auditVerification,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertInScope, requestActor } from "../../changes/actor.js";
import type { Queryable } from "../../db/database.js";
import { NotFoundError } from "../../http/errors.js";
import { problemResponses } from "../../http/openapi/responses.js";
import { auditStore } from "./store.js";
import { checkAnchors, verifyAuditChain } from "./verify.js";
import type { AuditWatch } from "./watch.js";

const tags = ["audit"];
const seqParams = z.object({ seq: z.coerce.number().int().positive() });

export function auditRoutes(app: FastifyInstance, deps: { db: Queryable; audit: AuditWatch }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/audit",
    {
      config: { action: "audit.read" },
      schema: {
        operationId: "listAuditEntries",
        tags,
        summary: "Audit entries, newest first, filtered",
        querystring: auditQuery,
        response: { 200: auditList, ...problemResponses(422) },
      },
    },
    async (request) => {
      const { items, total } = await auditStore(deps.db).list(request.query, requestActor(request).environments);
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
        operationId: "verifyAuditChain",
        tags,
        summary: "Recompute the hash chain; reports the first broken link",
        response: { 200: auditVerification },
      },
    },
    () => verifyAuditChain(deps.db),
  );

  r.get(
    "/api/v1/audit/status",
    {
      config: { action: "audit.read" },
      schema: {
        operationId: "getAuditChainStatus",
        tags,
        summary:
          "The tamper alarm: this replica's last checks of the chain (new entries as they come, the whole chain periodically), any break found, the last anchor written",
        response: { 200: auditChainStatus },
      },
    },
    () => deps.audit.status(),
  );

  r.post(
    "/api/v1/audit/anchors/check",
    {
      config: { action: "audit.read" },
      schema: {
        operationId: "checkAuditAnchors",
        tags,
        summary:
          "Whether the chain still holds each anchored head (seq and hash, as TRADAI_AUDIT_ANCHOR_SINK wrote them): a read, nothing is stored",
        body: anchorsCheckBody,
        response: { 200: anchorsCheck, ...problemResponses(422) },
      },
    },
    (request) => checkAnchors(deps.db, request.body.anchors),
  );

  r.get(
    "/api/v1/audit/:seq",
    {
      config: { action: "audit.read" },
      schema: {
        operationId: "getAuditEntry",
        tags,
        summary: "One audit entry",
        params: seqParams,
        response: { 200: auditEntry, ...problemResponses(404, 422) },
      },
    },
    async (request) => {
      const entry = await auditStore(deps.db).get(request.params.seq);
      if (!entry) throw new NotFoundError(`no audit entry ${request.params.seq}`);
      if (entry.environment) assertInScope(requestActor(request), entry.environment);
      return entry;
    },
  );
}
