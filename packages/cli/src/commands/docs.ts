/** @module `tradai docs render`: the Markdown reference of the catalog and the values in force. */
import { writeFileSync } from "node:fs";
import { type ApiClient, ApiProblemError } from "@tradai/client";
import type { StrategyList } from "@tradai/core";
import { Command } from "commander";
import { apiFor } from "../context.js";
import { type DocsInput, renderDocs, type StrategyValues } from "../docs/render.js";

/** The server's default environment, learnt from a strategy's version list (none: undefined). */
async function defaultEnvironment(api: ApiClient, strategies: StrategyList): Promise<string | undefined> {
  const first = strategies.items[0];
  if (!first) return undefined;
  return (await api.listConfigs(first.strategy_name, { limit: 1 })).environment;
}

async function resolved(api: ApiClient, strategy: string, configId: string, env: string): Promise<StrategyValues> {
  try {
    return {
      strategy,
      config_version_id: configId,
      resolved: await api.resolve(strategy, { environment: env, explain: true }),
    };
  } catch (error) {
    if (!(error instanceof ApiProblemError)) throw error;
    return { strategy, config_version_id: configId, error: `HTTP ${error.status}: ${error.problem.detail}` };
  }
}

async function gather(api: ApiClient, requestedEnv: string | undefined): Promise<DocsInput> {
  const [listing, rules, strategies] = await Promise.all([api.listCatalog(), api.listRules(), api.listStrategies()]);
  const environment = requestedEnv ?? (await defaultEnvironment(api, strategies));
  // Also refuses an unknown environment (the server names the known ones).
  const base = environment === undefined ? undefined : await api.getEnvironmentBase(environment);
  const active: StrategyValues[] = [];
  const inactive: string[] = [];
  for (const s of strategies.items) {
    const configId = environment === undefined ? null : (s.active[environment] ?? null);
    if (configId === null || environment === undefined) inactive.push(s.strategy_name);
    else active.push(await resolved(api, s.strategy_name, configId, environment));
  }
  return {
    environment,
    catalogRevision: listing.revision,
    baseRevision: base?.revision,
    parameters: listing.items.map((i) => i.parameter),
    rules: rules.items,
    active,
    inactive,
  };
}

export function docsCommand(): Command {
  const docs = new Command("docs").description("generated documentation");
  docs
    .command("render")
    .description("a Markdown reference of the catalog, its rules and the values in force in an environment")
    .option("--env <environment>", "environment (default: the server's default environment)")
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (opts: { env?: string; out?: string }, command: Command) => {
      const input = await gather(apiFor(command), opts.env);
      const markdown = renderDocs(input);
      if (opts.out === undefined) {
        process.stdout.write(markdown);
        return;
      }
      writeFileSync(opts.out, markdown);
      const env = input.environment ?? "the default environment";
      process.stdout.write(
        `Wrote the reference of ${input.parameters.length} parameter(s) and ${input.active.length} active strategy(ies) in ${env} to ${opts.out}\n`,
      );
    });
  return docs;
}
