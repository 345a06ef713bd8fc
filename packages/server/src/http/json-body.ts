/**
 * @module The JSON body parser: strict (see core's parseStrictJson), so duplicate keys, inexact
 * numbers and `__proto__` are refused with 422 naming the field, and malformed JSON gets 400.
 */
import { formatPath, type JsonIssue, MAX_JSON_DEPTH, parseStrictJson, StrictJsonError } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import { InvalidInputError, MalformedJsonError } from "./errors.js";

export const BODY_LIMIT_BYTES = 1024 * 1024;

function toFieldErrors(issues: JsonIssue[]) {
  return issues.map((issue) => ({
    field: formatPath(issue.path) || "(body)",
    location: "body" as const,
    message: issue.message,
  }));
}

export function registerStrictJsonParser(app: FastifyInstance): void {
  // JSON only: any other body type gets 415 rather than being validated as a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    /^application\/([a-z.+-]+\+)?json(;.*)?$/,
    { parseAs: "string", bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim() === "") return done(null, undefined);
      try {
        // The body wraps documents limited to 32 levels (config_data), so it may be one deeper.
        done(null, parseStrictJson(text, { maxDepth: MAX_JSON_DEPTH + 1 }));
      } catch (error) {
        if (error instanceof StrictJsonError && error.kind === "meaning") {
          const errors = toFieldErrors(error.issues);
          done(InvalidInputError.of(errors), undefined);
        } else {
          const reason = error instanceof StrictJsonError ? (error.issues[0]?.message ?? "") : String(error);
          done(new MalformedJsonError(`the request body is not valid JSON: ${reason}`), undefined);
        }
      }
    },
  );
}
