/**
 * Every command group's help lists all of its sub-commands, and any list of verbs in a group's
 * description names exactly its sub-commands (issue 27: `tradai config --help` once omitted
 * rollback, promote and explain). Walks the whole tree buildProgram() builds.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { CommandGroup, verbList } from "../../src/help/command-group.js";
import { buildProgram } from "../../src/program.js";

/** Every command with sub-commands, with its path ("tradai config"). */
function groups(command: Command, path: string[] = []): { path: string; group: Command }[] {
  const here = [...path, command.name()];
  if (command.commands.length === 0) return [];
  return [{ path: here.join(" "), group: command }, ...command.commands.flatMap((sub) => groups(sub, here))];
}

/** The lines of the "Commands:" section of a command's help. */
function commandsSection(help: string): string[] {
  const lines = help.split("\n");
  const start = lines.indexOf("Commands:");
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line !== "" && !line.startsWith(" "));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The sub-commands help shows (hidden ones left out, and the implicit `help`). */
function subcommands(group: Command): Command[] {
  const visible = new Set(group.createHelp().visibleCommands(group));
  return group.commands.filter((c) => visible.has(c));
}

const LIST = /[a-z][\w-]*(?:(?:,\s+|,?\s+(?:and|or)\s+)[a-z][\w-]*)+/gi;
const SEPARATOR = /,\s+(?:(?:and|or)\s+)?|\s+(?:and|or)\s+/;

/**
 * What is wrong with the verb lists of a group's description: each list of words ("a, b and c")
 * that names any of its sub-commands must name exactly its sub-commands.
 */
function staleVerbLists(group: Command): string[] {
  const names = subcommands(group)
    .map((c) => c.name())
    .sort();
  const problems: string[] = [];
  for (const [list] of group.description().matchAll(LIST)) {
    const items = list.split(SEPARATOR);
    if (!items.some((item) => names.includes(item))) continue; // prose, not a list of sub-commands
    const sorted = [...items].sort();
    if (JSON.stringify(sorted) !== JSON.stringify(names)) {
      problems.push(`"${list}" lists [${sorted.join(", ")}], the sub-commands are [${names.join(", ")}]`);
    }
  }
  return problems;
}

const tree = groups(buildProgram());

describe("every group's --help", () => {
  it("walks the whole tree (the groups we know of are there)", () => {
    const paths = tree.map((g) => g.path);
    for (const known of ["tradai", "tradai config", "tradai env", "tradai env freeze", "tradai catalog"]) {
      expect(paths).toContain(known);
    }
  });

  it.each(tree)("$path: help names every sub-command", ({ group }) => {
    const section = commandsSection(group.helpInformation());
    expect(section.length).toBeGreaterThan(0);
    for (const sub of subcommands(group)) {
      const listed = section.some((line) => new RegExp(`^ {2}${sub.name()}(?:[| ]|$)`).test(line));
      expect(listed, `${sub.name()} missing from:\n${section.join("\n")}`).toBe(true);
    }
  });

  it.each(tree)("$path: any verb list in the description names exactly its sub-commands", ({ group }) => {
    expect(staleVerbLists(group)).toEqual([]);
  });

  it("config's help names diff, rollback, promote and explain, in the description too", () => {
    const config = buildProgram().commands.find((c) => c.name() === "config") as Command;
    const description = config.description();
    for (const verb of ["create", "rollback", "promote", "explain", "diff"]) expect(description).toContain(verb);
  });
});

describe("the check and CommandGroup", () => {
  it("the check finds a stale hand-written list (the old config description)", () => {
    const config = new Command("config").description("create, list, show, activate and deprecate config versions");
    for (const name of ["create", "list", "show", "activate", "rollback", "deprecate"]) config.command(name);
    expect(staleVerbLists(config)).toHaveLength(1);
    expect(staleVerbLists(config)[0]).toContain("rollback");
  });

  it("a CommandGroup's description follows its sub-commands, however late they are added", () => {
    const group = new CommandGroup("things", "the things");
    expect(group.description()).toBe("the things");
    group.command("add");
    expect(group.description()).toBe("the things: add");
    group.addCommand(new Command("remove"));
    group.command("secret", { hidden: true });
    group.command("list");
    expect(group.description()).toBe("the things: add, remove and list");
    expect(staleVerbLists(group)).toEqual([]);
    expect(group.helpInformation()).toContain("the things: add, remove and list");
    group.description("other things");
    expect(group.description()).toBe("other things: add, remove and list");
  });

  it("verbList joins with commas and a final and", () => {
    expect(verbList([])).toBe("");
    expect(verbList(["a"])).toBe("a");
    expect(verbList(["a", "b"])).toBe("a and b");
    expect(verbList(["a", "b", "c"])).toBe("a, b and c");
  });
});
