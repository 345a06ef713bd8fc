/**
 * @module Errors that know their problem+json type and status. Services throw them; one handler
 * (http/error-handler.ts) serialises them.
 */
import { type FieldError, fieldErrorsDetail, problemTypes } from "@tradai/core";

export class ProblemError extends Error {
  /** When set, the answer carries Retry-After: the same request may succeed that much later. */
  retryAfterSeconds?: number;
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends ProblemError {
  constructor(detail: string, errors: FieldError[]) {
    super(422, problemTypes.invalidInput, "Invalid input", detail, errors);
  }
  /** One offending field; `message` says its rule ("must be ..."), the detail names the field. */
  static field(location: FieldError["location"], field: string, message: string): InvalidInputError {
    return InvalidInputError.of([{ field, location, message }]);
  }
  /** Offending fields; the detail is one sentence per field, after `lead` when given. */
  static of(errors: FieldError[], lead?: string): InvalidInputError {
    const sentences = fieldErrorsDetail(errors);
    return new InvalidInputError(lead ? `${lead}: ${sentences}` : sentences, errors);
  }
}

export class MalformedJsonError extends ProblemError {
  constructor(detail: string) {
    super(400, problemTypes.malformedJson, "Malformed JSON", detail);
  }
}

export class NotFoundError extends ProblemError {
  constructor(detail: string) {
    super(404, problemTypes.notFound, "Not found", detail);
  }
}

export class ConflictError extends ProblemError {
  /** `errors`: the fields in conflict, when the conflict is about values (an immutable key). */
  constructor(detail: string, errors?: FieldError[]) {
    super(409, problemTypes.conflict, "Conflict", detail, errors);
  }
}

export class UnauthenticatedError extends ProblemError {
  constructor(detail: string) {
    super(401, problemTypes.unauthenticated, "Authentication required", detail);
  }
}

export class ForbiddenError extends ProblemError {
  constructor(detail: string) {
    super(403, problemTypes.forbidden, "Forbidden", detail);
  }
}

/** The change request can no longer be applied as approved: the active version changed. */
export class StaleError extends ProblemError {
  constructor(detail: string) {
    super(409, problemTypes.stale, "Stale change request", detail);
  }
}

/** If-Match / expected_active did not match what is active now. */
export class PreconditionFailedError extends ProblemError {
  constructor(detail: string) {
    super(412, problemTypes.preconditionFailed, "Precondition failed", detail);
  }
}

/** The environment is in a freeze window. */
export class FrozenError extends ProblemError {
  constructor(detail: string) {
    super(423, problemTypes.frozen, "Environment frozen", detail);
  }
}

export class TooManyRequestsError extends ProblemError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, problemTypes.tooManyRequests, "Too many requests", detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 503: this server cannot answer now (it is shutting down, a dependency is down); another may. */
export class UnavailableError extends ProblemError {
  constructor(type: string, title: string, detail: string, retryAfterSeconds: number) {
    super(503, type, title, detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
