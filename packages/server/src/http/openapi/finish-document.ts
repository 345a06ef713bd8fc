/**
 * @module The last pass over the OpenAPI document: the named schemas as `components.schemas`, only
 * those something references, and a description on every response.
 */
import { jsonSchemaTransformObject } from "fastify-type-provider-zod";

type TransformObjectInput = Parameters<typeof jsonSchemaTransformObject>[0];
type Document = ReturnType<typeof jsonSchemaTransformObject>;
/** The parts of the document this pass reads. */
interface DocumentShape {
  paths?: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: unknown }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

const REF_PREFIX = "#/components/schemas/";

/** What a success answers, when the route does not say more. */
const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted: the work goes on after the answer",
  "204": "Done; no body",
  "205": "Done; reset the view; no body",
  "304": "Not modified since the ETag given in If-None-Match; no body",
};

const NO_BODY = new Set(["204", "205", "304"]);

function referencedNames(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) referencedNames(item, into);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string" && child.startsWith(REF_PREFIX))
        into.add(child.slice(REF_PREFIX.length));
      else referencedNames(child, into);
    }
  }
}

/**
 * The components that the paths reach, directly or through other components. Every named schema
 * is generated twice (as read, `X`, and as written, `XInput`); a schema only ever written keeps
 * its plain name.
 */
function keepReferencedSchemas(document: DocumentShape): DocumentShape {
  const all = document.components?.schemas ?? {};
  const reached = new Set<string>();
  referencedNames(document.paths, reached);
  for (let queue = [...reached]; queue.length; ) {
    const found = new Set<string>();
    referencedNames(all[queue.pop() as string], found);
    for (const name of found) {
      if (reached.has(name)) continue;
      reached.add(name);
      queue.push(name);
    }
  }
  const renames = new Map<string, string>();
  for (const name of reached) {
    const plain = name.replace(/Input$/, "");
    if (plain !== name && !reached.has(plain) && all[plain]) renames.set(name, plain);
  }
  const schemas = Object.fromEntries([...reached].sort().map((name) => [renames.get(name) ?? name, all[name]]));
  let text = JSON.stringify({ ...document, components: { ...document.components, schemas } });
  for (const [from, to] of renames) text = text.replaceAll(`"${REF_PREFIX}${from}"`, `"${REF_PREFIX}${to}"`);
  return JSON.parse(text) as DocumentShape;
}

/** A response @fastify/swagger left as "Default Response" gets what its status means. */
function describeResponses(document: DocumentShape): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response.description === "Default Response")
          response.description = SUCCESS_DESCRIPTIONS[status] ?? "Answer";
        // Zod's `null` still yields a JSON "schema"; these statuses never carry a body.
        if (NO_BODY.has(status)) delete response.content;
      }
    }
  }
}

interface SchemaShape {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  $ref?: string;
  allOf?: SchemaShape[];
  anyOf?: SchemaShape[];
}

/** Zod's `null` in OpenAPI 3.0, as a branch of a union. */
const NULL_BRANCH: SchemaShape = { type: "string", nullable: true, enum: [null] };

/**
 * OpenAPI 3.0.3 reads `nullable` only next to a `type`, and it does not widen `enum`. Zod also
 * writes it next to `allOf`/`anyOf` or alone (an unknown value); those get the type their branches
 * share, or an explicit null branch, or (alone: anything goes already) nothing.
 */
function fixNullables(value: unknown, schemas: Record<string, SchemaShape>): void {
  if (Array.isArray(value)) for (const item of value) fixNullables(item, schemas);
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const child of Object.values(value)) fixNullables(child, schemas);
  const schema = value as SchemaShape;
  if (schema.nullable !== true) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (schema.type !== undefined) return;
  const branches = schema.allOf ?? schema.anyOf;
  if (!branches) {
    delete schema.nullable;
    return;
  }
  const types = new Set(
    branches.map((b) => (b.$ref ? schemas[b.$ref.slice(REF_PREFIX.length)]?.type : b.type) ?? "(any)"),
  );
  const [only] = types;
  if (types.size === 1 && only !== "(any)") schema.type = only;
  else {
    delete schema.nullable;
    if (schema.anyOf) schema.anyOf.push(NULL_BRANCH);
    else {
      schema.anyOf = [...(schema.allOf ?? []), NULL_BRANCH];
      delete schema.allOf;
    }
  }
}

/** `transformObject` for @fastify/swagger. */
export function finishDocument(input: TransformObjectInput): Document {
  const document = keepReferencedSchemas(jsonSchemaTransformObject(input) as DocumentShape);
  describeResponses(document);
  fixNullables(document, (document.components?.schemas ?? {}) as Record<string, SchemaShape>);
  return document as Document;
}
