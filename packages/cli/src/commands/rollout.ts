/**
 * @module `tradai rollout`: staged rollouts. `start` a version step by step (a label selector or a
 * share of the workers, each baked under guards), `list`, `status` with the workers and the guards
 * as they read now, `pause`, `resume`, `abort`. Starting one is a governed change: where the
 * environment asks for approval it becomes a change request (exit 3; --wait follows it).
 */
import { isProposed } from "@tradai/client";
import type { RolloutGuard, RolloutStep } from "@tradai/core";
import { Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { printGoverned, waitOption, waitSeconds } from "../governed/settle-proposal.js";
import { formatRollout, formatRollouts } from "../output/rollouts.js";
import { collectGuard, collectStep } from "../rollouts/parse.js";
import { UsageError } from "../usage-error.js";

export function rolloutCommand(): Command {
  const rollout = new Command("rollout")
    .alias("rollouts")
    .description("staged rollouts: a version reaches some workers first, bakes under guards, then the rest");
  rollout
    .command("start")
    .description(
      "roll a version out step by step (each step: a label selector or a share of the workers, and a bake time)",
    )
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>", "the version to roll out")
    .requiredOption("--env <environment>", "the environment")
    .option("--step <target[@bake]>", "a step, in order (repeatable): canary=true@10m, 25%@15m, 100%", collectStep)
    .option(
      "--guard <rule>",
      "roll back when it holds (repeatable): 'errors>2x@2m' (canaries vs the rest), 'drawdown_pct>5', stale, violation",
      collectGuard,
    )
    .option("--freeze-override <reason>", "admin only: start it in a frozen environment, giving the reason")
    .addOption(waitOption())
    .action(async (strategy: string, configId: string, opts, command: Command) => {
      const steps = opts.step as RolloutStep[] | undefined;
      if (!steps || steps.length === 0)
        throw new UsageError("give at least one --step, e.g. --step canary=true@10m --step 100%");
      const seconds = waitSeconds(opts.wait);
      const outcome = await apiFor(command).startRollout({
        strategy,
        environment: opts.env,
        config_id: configId,
        steps,
        guards: (opts.guard as RolloutGuard[] | undefined) ?? [],
        ...(opts.freezeOverride ? { freeze_override_reason: opts.freezeOverride } : {}),
      });
      await printGoverned(
        command,
        outcome,
        () =>
          isProposed(outcome)
            ? `Proposed: change request ${outcome.change_request.id} (${outcome.change_request.summary}); it starts once approved`
            : `Started rollout ${outcome.id}: ${outcome.config_id} of ${outcome.strategy} in ${outcome.environment}, step 1 of ${outcome.steps.length}${outcome.next_at ? `, next step at ${outcome.next_at}` : ""}`,
        seconds,
      );
    });
  rollout
    .command("list")
    .description("staged rollouts, newest first")
    .addOption(new Option("--env <environment>", "only this environment"))
    .option("--strategy <STRATEGY>", "only this strategy")
    .action(async (opts, command: Command) => {
      const { rollouts } = await apiFor(command).listRollouts({
        ...(opts.env ? { environment: opts.env } : {}),
        ...(opts.strategy ? { strategy: opts.strategy } : {}),
      });
      print(command, rollouts, () => formatRollouts(rollouts));
    });
  rollout
    .command("status")
    .description("a rollout's steps, the workers it assigns, and each guard as it reads now")
    .argument("<ID>", "the rollout's id (tradai rollout list)")
    .action(async (id: string, _opts, command: Command) => {
      const status = await apiFor(command).getRollout(id);
      print(command, status, () => formatRollout(status));
    });
  for (const [verb, what] of [
    ["pause", "stop moving it on; the workers it assigned keep its version"],
    ["resume", "move a paused rollout on again (the step in force bakes again in full)"],
  ] as const) {
    rollout
      .command(verb)
      .description(what)
      .argument("<ID>", "the rollout's id")
      .action(async (id: string, _opts, command: Command) => {
        const api = apiFor(command);
        const view = verb === "pause" ? await api.pauseRollout(id) : await api.resumeRollout(id);
        print(
          command,
          view,
          () => `Rollout ${view.id} is ${view.state} at step ${view.step + 1} of ${view.steps.length}`,
        );
      });
  }
  rollout
    .command("abort")
    .description("stop a rollout: every worker it assigned runs the active version again")
    .argument("<ID>", "the rollout's id")
    .requiredOption("--reason <text>", "why (kept in the audit trail)")
    .action(async (id: string, opts, command: Command) => {
      const view = await apiFor(command).abortRollout(id, opts.reason);
      print(
        command,
        view,
        () => `Aborted rollout ${view.id}: its workers run ${view.from_config_id ?? "the active version"} again`,
      );
    });
  return rollout;
}
