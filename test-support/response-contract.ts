/**
 * @module The response contract: every answer an in-process test platform gives is checked against
 * the platform's own OpenAPI document (status documented for the operation, media type, body schema).
 * Each mismatch is recorded; the platform's close() fails with the list (test-support/platform.ts).
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

// ajv-formats is CommonJS: its default export is the plugin, typed as the module.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

interface MediaType {
  schema?: object;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const DOCUMENT_ID = "tradai-openapi";

/**
 * OpenAPI 3.0 schema -> what Ajv (draft-07) reads: `$ref`s into the document, and the 3.0
 * boolean `exclusiveMinimum`/`exclusiveMaximum` as numbers, `nullable` without `type` as `anyOf`.
 */
function forAjv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forAjv);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "$ref" && typeof child === "string" && child.startsWith("#/")) out[key] = `${DOCUMENT_ID}${child}`;
    else out[key] = forAjv(child);
  }
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  // Ajv reads `nullable` only next to `type`; Zod puts it next to `anyOf` or `$ref` too.
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

/** A fastify route URL (`/api/v1/configs/:strategy`) as an OpenAPI path (`/api/v1/configs/{strategy}`). */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function bodyText(payload: unknown): string | undefined {
  if (payload === null || payload === undefined) return "";
  if (typeof payload === "string") return payload;
  if (Buffer.isBuffer(payload)) return payload.toString("utf8");
  return undefined; // a stream: its body is not checked
}

export interface ResponseContract {
  /** Pass to startPlatform: adds the checking hook to the app. */
  instrument(app: FastifyInstance): void;
  /** "METHOD URL -> status: what is wrong", one per undocumented answer. */
  violations: string[];
}

export function responseContract(): ResponseContract {
  const violations: string[] = [];
  let document: Document | undefined;
  let ajv: Ajv | undefined;
  const validators = new Map<string, ValidateFunction>();

  const validatorFor = (key: string, schema: object) => {
    let validate = validators.get(key);
    if (!validate) {
      validate = (ajv as Ajv).compile(forAjv(schema) as object);
      validators.set(key, validate);
    }
    return validate;
  };

  /** What is wrong with this answer, or undefined when the document describes it. */
  function mismatch(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const url = request.routeOptions.url;
    const method = request.method.toLowerCase();
    if (url === undefined || method === "head" || method === "options") return undefined; // 404 handler, preflight
    if (!document) {
      document = app.swagger() as unknown as Document;
      ajv = addFormats(new Ajv({ strict: false, allErrors: false }));
      ajv.addSchema({ $id: DOCUMENT_ID, components: forAjv(document.components ?? {}) });
    }
    const path = openApiPath(url);
    const operation = document.paths[path]?.[method];
    if (!operation) {
      const schema = request.routeOptions.schema as { hide?: boolean } | undefined;
      return schema === undefined || schema.hide ? undefined : "the operation is not in the document";
    }
    const status = String(reply.statusCode);
    const response = operation.responses[status] ?? operation.responses.default;
    if (!response) return `status ${status} is not documented (documented: ${Object.keys(operation.responses)})`;
    // Fastify never writes a body for these, whatever was sent.
    const text = ["204", "205", "304"].includes(status) ? "" : bodyText(payload);
    const mediaType = String(reply.getHeader("content-type") ?? "")
      .split(";")[0]
      ?.trim();
    if (!response.content) return text === "" ? undefined : `a ${mediaType} body where the document says none`;
    if (text === "") return `no body where the document says ${Object.keys(response.content)}`;
    const media = mediaType ? response.content[mediaType] : undefined;
    if (!media)
      return `media type ${mediaType || "(none)"} is not documented (documented: ${Object.keys(response.content)})`;
    if (text === undefined || !media.schema || !/[/+]json$/.test(mediaType as string)) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `the ${mediaType} body is not JSON`;
    }
    const validate = validatorFor(`${method} ${path} ${status} ${mediaType}`, media.schema);
    if (validate(body)) return undefined;
    return `the body does not match its schema: ${(ajv as Ajv).errorsText(validate.errors)}`;
  }

  return {
    violations,
    instrument(app) {
      app.addHook("onSend", async (request, reply, payload) => {
        let problem: string | undefined;
        try {
          problem = mismatch(app, request, reply, payload);
        } catch (error) {
          problem = `the check failed: ${(error as Error).message}`;
        }
        if (problem) violations.push(`${request.method} ${request.url} -> ${reply.statusCode}: ${problem}`);
        return payload;
      });
    },
  };
}
