import { run } from "../program.js";

run(process.argv).then(
  (code) => {
    // `serve` and `launcher` keep running; every other command ends here.
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tradai: unexpected error: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
