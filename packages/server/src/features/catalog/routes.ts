/** @module HTTP routes of the catalog: reads, and changes answered with the new revision or, where four eyes are needed, 202 and the change request. */
import {
  catalogChangeQuery,
  catalogChangeResponse,
  catalogEntry,
  catalogList,
  catalogListQuery,
  catalogParameterBody,
  catalogRevisionDiff,
  catalogRevisionList,
  catalogRule,
  catalogRuleList,
  deprecateParameterBody,
  gridQuery,
  parameterPathParams,
  policyBody,
  policyPathParams,
  revisionDiffParams,
  rulePathParams,
  variantGrid,
} from "@tradai/core";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import { answerProposed, proposedResponse, type ShowChangeRequest } from "../../http/proposal-answer.js";
import type { CatalogService } from "./service.js";

const tags = ["catalog"];

type Outcome = Awaited<ReturnType<CatalogService["create"]>>;

export function catalogRoutes(app: FastifyInstance, catalog: CatalogService, show: ShowChangeRequest): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const changeResponses = { ...proposedResponse, ...problemResponses(403, 404, 409, 422, 423) };
  const options = (q: { force_reason?: string | undefined; freeze_override_reason?: string | undefined }) => ({
    forceReason: q.force_reason,
    freezeOverrideReason: q.freeze_override_reason,
  });
  /** Applied: the new revision; needing four eyes: 202 with the change request. */
  const answer = (reply: FastifyReply, status: number, outcome: Outcome) =>
    outcome.outcome === "proposed" ? answerProposed(reply, show, outcome) : reply.status(status).send(outcome.response);

  r.get(
    "/api/v1/catalog",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "listCatalog",
        tags,
        summary: "Parameters, filtered; the current revision; strategy policies",
        querystring: catalogListQuery,
        response: { 200: catalogList, ...problemResponses(422) },
      },
    },
    (request) => catalog.list(request.query),
  );

  r.post(
    "/api/v1/catalog",
    {
      config: { action: "catalog.write" },
      schema: {
        operationId: "createCatalogParameter",
        tags,
        summary: "Add a parameter (a new catalog revision)",
        querystring: catalogChangeQuery,
        body: catalogParameterBody,
        response: { 201: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      answer(reply, 201, await catalog.create(request.body, requestActor(request), options(request.query))),
  );

  r.get(
    "/api/v1/catalog/parameters/:name",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "getCatalogParameter",
        tags,
        summary: "One parameter",
        params: parameterPathParams,
        response: { 200: catalogEntry, ...problemResponses(404, 422) },
      },
    },
    (request) => catalog.get(request.params.name),
  );

  r.put(
    "/api/v1/catalog/parameters/:name",
    {
      config: { action: "catalog.write" },
      schema: {
        operationId: "replaceCatalogParameter",
        tags,
        summary: "Replace a parameter's definition (a new catalog revision unless nothing changed)",
        params: parameterPathParams,
        querystring: catalogChangeQuery,
        body: catalogParameterBody,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      answer(
        reply,
        200,
        await catalog.update(request.params.name, request.body, requestActor(request), options(request.query)),
      ),
  );

  r.post(
    "/api/v1/catalog/parameters/:name/deprecate",
    {
      config: { action: "catalog.write" },
      schema: {
        operationId: "deprecateCatalogParameter",
        tags,
        summary: "Deprecate a parameter, naming its replacement",
        params: parameterPathParams,
        querystring: catalogChangeQuery,
        body: deprecateParameterBody,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      answer(
        reply,
        200,
        await catalog.deprecate(request.params.name, request.body, requestActor(request), options(request.query)),
      ),
  );

  r.put(
    "/api/v1/catalog/policies/:strategy",
    {
      config: { action: "catalog.write" },
      schema: {
        operationId: "setCatalogPolicy",
        tags,
        summary: "Set a strategy's catalog policy: strict refuses unknown keys, open accepts them",
        params: policyPathParams,
        querystring: catalogChangeQuery,
        body: policyBody,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      answer(
        reply,
        200,
        await catalog.setPolicy(
          request.params.strategy,
          request.body.policy,
          requestActor(request),
          options(request.query),
        ),
      ),
  );

  r.get(
    "/api/v1/catalog/grid",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "getCatalogGrid",
        tags,
        summary: "The cartesian grid of the parameters' variants (an experiment sweep)",
        querystring: gridQuery,
        response: { 200: variantGrid, ...problemResponses(422) },
      },
    },
    (request) => catalog.grid(request.query.parameters, request.query.strategy),
  );

  r.get(
    "/api/v1/catalog/rules",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "listCatalogRules",
        tags,
        summary: "Coherence rules (CEL)",
        response: { 200: catalogRuleList },
      },
    },
    () => catalog.rules(),
  );

  r.post(
    "/api/v1/catalog/rules",
    {
      config: { action: "catalog.write" },
      schema: {
        operationId: "putCatalogRule",
        tags,
        summary: "Add or replace a coherence rule (refused if it does not parse or names an unknown parameter)",
        querystring: catalogChangeQuery,
        body: catalogRule,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      answer(reply, 200, await catalog.saveRule(request.body, requestActor(request), options(request.query))),
  );

  r.delete(
    "/api/v1/catalog/rules/:name",
    {
      config: { action: "catalog.write" },
      schema: {
        operationId: "deleteCatalogRule",
        tags,
        summary: "Remove a coherence rule",
        params: rulePathParams,
        querystring: catalogChangeQuery,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      answer(reply, 200, await catalog.removeRule(request.params.name, requestActor(request), options(request.query))),
  );

  r.get(
    "/api/v1/catalog/revisions",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "listCatalogRevisions",
        tags,
        summary: "Catalog revisions, newest first (who, when, what)",
        response: { 200: catalogRevisionList },
      },
    },
    () => catalog.revisions(),
  );

  r.get(
    "/api/v1/catalog/revisions/:a/diff/:b",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "diffCatalogRevisions",
        tags,
        summary: "What changed from revision a to revision b",
        params: revisionDiffParams,
        response: { 200: catalogRevisionDiff, ...problemResponses(422) },
      },
    },
    (request) => catalog.diff(request.params.a, request.params.b),
  );
}
