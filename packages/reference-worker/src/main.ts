/**
 * @module Process entry: runs the worker and turns the outcome into an exit code
 * (0 ok, 1 failure, 2 bad parameters, 3 bad parameter set, 143 stopped by SIGTERM).
 */
import { EXIT_FAILURE, EXIT_OK, EXIT_TERMINATED, WorkerError } from "./errors.js";
import { runWorker } from "./run.js";

// The result is written synchronously as the very last step, so exiting here never leaves a
// partial result behind: the launcher finds either the whole file or none.
process.once("SIGTERM", () => {
  process.stderr.write("SIGTERM received: stopping without writing a result\n");
  process.exit(EXIT_TERMINATED);
});
process.once("SIGINT", () => process.exit(130));

let exitCode = EXIT_OK;
try {
  await runWorker(process.env);
} catch (error) {
  if (error instanceof WorkerError) {
    exitCode = error.exitCode;
  } else {
    exitCode = EXIT_FAILURE;
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  // Last stderr line: the launcher shows the tail of stderr as the run's error.
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
}
// Exit now rather than wait for idle keep-alive connections from the progress reports.
process.exit(exitCode);
