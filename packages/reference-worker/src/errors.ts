/** @module The worker's failures, each carrying the exit code the launcher sees. */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_PARAMETERS = 2;
export const EXIT_BAD_PARAMETER_SET = 3;
export const EXIT_TERMINATED = 143;

/** A failure the worker explains itself: printed as one stderr line, no stack trace. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = "WorkerError";
  }
}

/** A value in `parameter_set.values` (or a launch setting) the worker cannot run with. */
export class ParameterError extends WorkerError {
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    super(`invalid parameter ${parameter}: ${problem}`, EXIT_BAD_PARAMETERS);
    this.name = "ParameterError";
  }
}

/** The parameter set file is missing, unreadable, malformed or does not match its hash. */
export class ParameterSetError extends WorkerError {
  constructor(message: string) {
    super(`parameter set refused: ${message}`, EXIT_BAD_PARAMETER_SET);
    this.name = "ParameterSetError";
  }
}
