/** @module HTTP routes of the catalog. */
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
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { problemResponses } from "../../http/openapi.js";
import { requestActor } from "../auth/actor.js";
import type { CatalogService } from "./service.js";

const tags = ["catalog"];

export function catalogRoutes(app: FastifyInstance, catalog: CatalogService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const changeResponses = { ...problemResponses(404, 409, 422) };

  r.get(
    "/api/v1/catalog",
    {
      config: { action: "catalog.read" },
      schema: {
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
        tags,
        summary: "Add a parameter (a new catalog revision)",
        querystring: catalogChangeQuery,
        body: catalogParameterBody,
        response: { 201: catalogChangeResponse, ...changeResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await catalog.create(request.body, requestActor(request), request.query.force_reason)),
  );

  r.get(
    "/api/v1/catalog/parameters/:name",
    {
      config: { action: "catalog.read" },
      schema: {
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
        tags,
        summary: "Replace a parameter's definition (a new catalog revision unless nothing changed)",
        params: parameterPathParams,
        querystring: catalogChangeQuery,
        body: catalogParameterBody,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    (request) => catalog.update(request.params.name, request.body, requestActor(request), request.query.force_reason),
  );

  r.post(
    "/api/v1/catalog/parameters/:name/deprecate",
    {
      config: { action: "catalog.write" },
      schema: {
        tags,
        summary: "Deprecate a parameter, naming its replacement",
        params: parameterPathParams,
        querystring: catalogChangeQuery,
        body: deprecateParameterBody,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    (request) =>
      catalog.deprecate(request.params.name, request.body, requestActor(request), request.query.force_reason),
  );

  r.put(
    "/api/v1/catalog/policies/:strategy",
    {
      config: { action: "catalog.write" },
      schema: {
        tags,
        summary: "Set a strategy's catalog policy: strict refuses unknown keys, open accepts them",
        params: policyPathParams,
        querystring: catalogChangeQuery,
        body: policyBody,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    (request) =>
      catalog.setPolicy(
        request.params.strategy,
        request.body.policy,
        requestActor(request),
        request.query.force_reason,
      ),
  );

  r.get(
    "/api/v1/catalog/grid",
    {
      config: { action: "catalog.read" },
      schema: {
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
      schema: { tags, summary: "Coherence rules (CEL)", response: { 200: catalogRuleList } },
    },
    () => catalog.rules(),
  );

  r.post(
    "/api/v1/catalog/rules",
    {
      config: { action: "catalog.write" },
      schema: {
        tags,
        summary: "Add or replace a coherence rule (refused if it does not parse or names an unknown parameter)",
        querystring: catalogChangeQuery,
        body: catalogRule,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    (request) => catalog.saveRule(request.body, requestActor(request), request.query.force_reason),
  );

  r.delete(
    "/api/v1/catalog/rules/:name",
    {
      config: { action: "catalog.write" },
      schema: {
        tags,
        summary: "Remove a coherence rule",
        params: rulePathParams,
        response: { 200: catalogChangeResponse, ...changeResponses },
      },
    },
    (request) => catalog.removeRule(request.params.name, requestActor(request)),
  );

  r.get(
    "/api/v1/catalog/revisions",
    {
      config: { action: "catalog.read" },
      schema: {
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
        tags,
        summary: "What changed from revision a to revision b",
        params: revisionDiffParams,
        response: { 200: catalogRevisionDiff, ...problemResponses(422) },
      },
    },
    (request) => catalog.diff(request.params.a, request.params.b),
  );
}
