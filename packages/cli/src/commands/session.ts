/** @module `tradai login|logout|whoami|password`: one's own session with a server. */
import { ApiProblemError, createApiClient } from "@tradai/client";
import { Command } from "commander";
import { credentialsPath, forgetLogin, storedLogin, storeLogin } from "../auth/credentials-file.js";
import { promptLine, readSecret } from "../auth/read-secret.js";
import { apiFor, credentialsWithSource, type GlobalOptions, print } from "../context.js";
import { principalDetails } from "../output/accounts.js";
import { UsageError } from "../usage-error.js";

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

const PASSWORD_SOURCES = `
The user name is --user (or TRADAI_USER); on a terminal you are asked for it when it is missing.
The password comes from TRADAI_PASSWORD, else from the first line of stdin when stdin is not a
terminal (echo "$PW" | tradai login --user alice), else from a prompt that does not echo.`;

async function usernameFor(command: Command): Promise<string> {
  const { user } = command.optsWithGlobals<GlobalOptions>();
  if (user) return user;
  if (process.stdin.isTTY) {
    const typed = (await promptLine("Username: ", { hidden: false })).trim();
    if (typed) return typed;
  }
  throw new UsageError("give the user name: tradai --user <name> login (or set TRADAI_USER)");
}

export function loginCommand(): Command {
  return new Command("login")
    .configureHelp({ showGlobalOptions: true })
    .description("log in to --url: get a bearer token for --user and store it (mode 0600) for the commands that follow")
    .addHelpText("after", PASSWORD_SOURCES)
    .action(async (_opts, command: Command) => {
      const { url } = command.optsWithGlobals<GlobalOptions>();
      const username = await usernameFor(command);
      const password = await readSecret({ what: `password for ${username}`, envVar: "TRADAI_PASSWORD" });
      const session = await createApiClient({ baseUrl: url }).login(username, password);
      const path = credentialsPath();
      storeLogin(url, { token: session.token, username: session.principal.name, expires_at: session.expires_at }, path);
      const { principal, expires_at } = session;
      print(command, { principal, expires_at, credentials_file: path }, () =>
        [
          `Logged in to ${url} as ${principal.name} until ${when(expires_at)}`,
          principalDetails(principal),
          `Token stored in ${path} (readable by you only); tradai logout ends the session.`,
        ].join("\n"),
      );
    });
}

export function logoutCommand(): Command {
  return new Command("logout")
    .description("end the session of the token tradai login stored for --url, and forget the token")
    .action(async (_opts, command: Command) => {
      const { url } = command.optsWithGlobals<GlobalOptions>();
      const path = credentialsPath();
      const stored = storedLogin(url, path);
      if (!stored) {
        const hadExpired = forgetLogin(url, path);
        print(command, { logged_out: false, credentials_file: path }, () =>
          hadExpired ? `The login to ${url} had expired; removed it from ${path}` : `Not logged in to ${url}`,
        );
        return;
      }
      try {
        await createApiClient({ baseUrl: url, credentials: { token: stored.token } }).logout();
      } catch (error) {
        // 401: the session has ended already (expired, revoked, password changed).
        if (!(error instanceof ApiProblemError && error.problem.status === 401)) {
          forgetLogin(url, path);
          process.stderr.write(`The token was removed from ${path}, but the server did not end its session:\n`);
          throw error;
        }
      }
      forgetLogin(url, path);
      print(
        command,
        { logged_out: true, username: stored.username, credentials_file: path },
        () => `Logged out ${stored.username} from ${url}; token removed from ${path}`,
      );
    });
}

export function whoamiCommand(): Command {
  return new Command("whoami")
    .description("who the server takes you for: name, kind, roles, environments")
    .action(async (_opts, command: Command) => {
      const { url } = command.optsWithGlobals<GlobalOptions>();
      const { source } = credentialsWithSource(command);
      const principal = await apiFor(command).me();
      const stored = source === "login" ? storedLogin(url) : undefined;
      const via: Record<typeof source, string> = {
        token: "--token / TRADAI_TOKEN",
        password: "--user / TRADAI_USER with TRADAI_PASSWORD",
        login: `token from tradai login (${credentialsPath()}), expires ${stored ? when(stored.expires_at) : "-"}`,
        none: "none",
      };
      print(command, principal, () => principalDetails(principal, [["credentials", via[source]]]));
    });
}

export function passwordCommand(): Command {
  return new Command("password")
    .configureHelp({ showGlobalOptions: true })
    .description("change your own password (your other sessions end)")
    .addHelpText(
      "after",
      `
The current password comes from TRADAI_PASSWORD and the new one from TRADAI_NEW_PASSWORD; else
from stdin when it is not a terminal (line 1: current, line 2: new), else from prompts without echo.
You are who --token, --user or your stored login (tradai login) says.`,
    )
    .action(async (_opts, command: Command) => {
      const { url, token, user } = command.optsWithGlobals<GlobalOptions>();
      const stored = storedLogin(url);
      const name = user || stored?.username || "you";
      const current = await readSecret({ what: `current password of ${name}`, envVar: "TRADAI_PASSWORD" });
      const fresh = await readSecret({ what: "new password", envVar: "TRADAI_NEW_PASSWORD", confirm: true });
      const credentials = token
        ? { token }
        : user
          ? { username: user, password: current }
          : stored
            ? { token: stored.token }
            : undefined;
      if (!credentials) throw new UsageError("who are you? give --user <name> (or TRADAI_USER), or tradai login first");
      await createApiClient({ baseUrl: url, credentials }).changePassword(current, fresh);
      print(command, { changed: true }, () => `Password changed for ${name}; your other sessions have ended.`);
    });
}
