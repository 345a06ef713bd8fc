/** @module @tradai/cli: the `tradai` command. */
export { buildProgram, run } from "./program.js";
