import { run } from "../program.js";

run(process.argv).then(
  (code) => {
    // `serve` keeps running; every other command ends here.
    if (code !== 0 || !process.argv.slice(2).includes("serve")) process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tradai: unexpected error: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
