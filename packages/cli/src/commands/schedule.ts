/**
 * @module `tradai schedule`: changes that run later. `activate`, `rollback` and `rollout` schedule
 * one for `--at` (a wall-clock time in `--tz`, or an instant with its offset); `list` shows them
 * (pending first), `cancel` takes one back. Each is judged again when it runs: a freeze or another
 * version active by then refuses it, loudly.
 */
import type { RolloutGuard, RolloutStep, ScheduledChangeView } from "@tradai/core";
import { Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { formatSchedules } from "../output/schedules.js";
import { collectGuard, collectStep } from "../rollouts/parse.js";
import { UsageError } from "../usage-error.js";

const atOption = () =>
  new Option("--at <time>", "when: 2026-12-08T08:00 (in --tz) or 2026-12-08T08:00:00Z").makeOptionMandatory();
const tzOption = () => new Option("--tz <zone>", "the time zone of --at, e.g. Asia/Tokyo").default("UTC");

const scheduled = (s: ScheduledChangeView) =>
  `Scheduled ${s.id}: ${s.summary} (${s.run_at} UTC); ${
    s.kind === "change_request"
      ? "its approvals wait for that time"
      : `it runs only if ${s.expected_active ?? "no version"} is still active then`
  }`;

export function scheduleCommand(): Command {
  const schedule = new Command("schedule")
    .alias("schedules")
    .description("changes that run later, at a time in a time zone, judged again when they run");
  const send = async (command: Command, body: Parameters<ReturnType<typeof apiFor>["scheduleChange"]>[0]) => {
    const created = await apiFor(command).scheduleChange(body);
    print(command, created, () => scheduled(created));
  };
  schedule
    .command("activate")
    .description("make a version active later")
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>")
    .requiredOption("--env <environment>", "the environment")
    .addOption(atOption())
    .addOption(tzOption())
    .action(async (strategy: string, configId: string, opts, command: Command) =>
      send(command, {
        kind: "activation",
        strategy,
        environment: opts.env,
        config_id: configId,
        at: opts.at,
        time_zone: opts.tz,
      }),
    );
  schedule
    .command("rollback")
    .description("roll back later, to the version the active one superseded (found now)")
    .argument("<STRATEGY>")
    .requiredOption("--env <environment>", "the environment")
    .addOption(atOption())
    .addOption(tzOption())
    .action(async (strategy: string, opts, command: Command) =>
      send(command, { kind: "rollback", strategy, environment: opts.env, at: opts.at, time_zone: opts.tz }),
    );
  schedule
    .command("rollout")
    .description("start a staged rollout later (steps and guards as in tradai rollout start)")
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>")
    .requiredOption("--env <environment>", "the environment")
    .option("--step <target[@bake]>", "a step, in order (repeatable): canary=true@10m, 25%@15m, 100%", collectStep)
    .option("--guard <rule>", "roll back when it holds (repeatable)", collectGuard)
    .addOption(atOption())
    .addOption(tzOption())
    .action(async (strategy: string, configId: string, opts, command: Command) => {
      const steps = opts.step as RolloutStep[] | undefined;
      if (!steps || steps.length === 0)
        throw new UsageError("give at least one --step, e.g. --step canary=true@10m --step 100%");
      await send(command, {
        kind: "rollout",
        strategy,
        environment: opts.env,
        config_id: configId,
        steps,
        guards: (opts.guard as RolloutGuard[] | undefined) ?? [],
        at: opts.at,
        time_zone: opts.tz,
      });
    });
  schedule
    .command("change-request")
    .description(
      "apply a pending change request at a time, once approved (its last approval then applies nothing before)",
    )
    .argument("<ID>", "the change request")
    .addOption(atOption())
    .addOption(tzOption())
    .action(async (id: string, opts, command: Command) => {
      const changeRequestId = Number(id);
      if (!Number.isSafeInteger(changeRequestId) || changeRequestId <= 0)
        throw new UsageError(`a change request id is a positive whole number, not "${id}"`);
      await send(command, {
        kind: "change_request",
        change_request_id: changeRequestId,
        at: opts.at,
        time_zone: opts.tz,
      });
    });
  schedule
    .command("list")
    .description("scheduled changes, latest time first")
    .addOption(new Option("--env <environment>", "only this environment"))
    .addOption(new Option("--state <state>", "only these").choices(["pending", "done", "refused", "cancelled"]))
    .action(async (opts, command: Command) => {
      const { items } = await apiFor(command).listScheduledChanges({
        ...(opts.env ? { environment: opts.env } : {}),
        ...(opts.state ? { state: opts.state } : {}),
      });
      print(command, items, () => formatSchedules(items));
    });
  schedule
    .command("cancel")
    .description("take back a pending scheduled change")
    .argument("<ID>", "its id (tradai schedule list)")
    .requiredOption("--reason <text>", "why (kept in the audit trail)")
    .action(async (id: string, opts, command: Command) => {
      const cancelled = await apiFor(command).cancelScheduledChange(id, opts.reason);
      print(command, cancelled, () => `Cancelled ${cancelled.id}: ${cancelled.summary}`);
    });
  return schedule;
}
