/**
 * The container image (issue 18), built here with podman (deploy/image/build.sh, on a base made
 * offline when missing). Containers cannot be run in this sandbox (crun), so the proof runs the
 * image's own filesystem: mounted read-only in a private mount namespace, with /var/lib/tradai and
 * /tmp as the only writable volumes, started with chroot as the image's user with the image's
 * environment, entrypoint and command, against a real PostgreSQL; its endpoints asked, then SIGTERM
 * through tini, which must end it with 0.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../test-support/auth.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../test-support/postgres-server.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const IMAGE = process.env.TRADAI_TEST_IMAGE ?? "localhost/tradai:test";

interface ImageConfig {
  Env: string[];
  Entrypoint: string[];
  Cmd: string[];
  User: string;
  WorkingDir: string;
  Labels: Record<string, string>;
  Volumes?: Record<string, unknown>;
}

let config: ImageConfig;
let container: string;
let rootfs: string;
let postgres: PostgresServer;

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" }).trim();

beforeAll(async () => {
  if (process.env.TRADAI_TEST_IMAGE === undefined) {
    // Built once per run (a minute or two; the base once per machine).
    execFileSync("bash", [join(ROOT, "deploy/image/build.sh"), IMAGE], { stdio: "inherit" });
  }
  config = JSON.parse(sh("podman", ["image", "inspect", IMAGE]))[0].Config;
  container = sh("buildah", ["from", IMAGE]);
  rootfs = sh("buildah", ["mount", container]);
  postgres = await startPostgresServer();
}, 600_000);

afterAll(async () => {
  if (container) {
    execFileSync("buildah", ["umount", container]);
    execFileSync("buildah", ["rm", container]);
  }
  await postgres?.stop();
});

/** The image's filesystem run as a container would run it; resolves once it listens. */
async function runImage(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const [uid, gid] = config.User.split(":");
  const vars = [...config.Env, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)];
  const script = [
    "set -e",
    // The root filesystem read-only, as readOnlyRootFilesystem makes it; the volumes writable.
    'mount --bind "$ROOTFS" "$ROOTFS" && mount -o remount,bind,ro "$ROOTFS"',
    'mount -t proc proc "$ROOTFS/proc" && mount --rbind /dev "$ROOTFS/dev"',
    `mount -t tmpfs -o uid=${uid},gid=${gid},mode=0750 tmpfs "$ROOTFS/var/lib/tradai"`,
    'mount -t tmpfs -o mode=1777 tmpfs "$ROOTFS/tmp"',
    `exec chroot --userspec=${uid}:${gid} "$ROOTFS" /usr/bin/env -i "$@"`,
  ].join("\n");
  const command = ["sh", "-c", `cd ${config.WorkingDir} && exec "$@"`, "--", ...config.Entrypoint, ...config.Cmd];
  const child = spawn(
    "unshare",
    ["--mount", "--propagation", "private", "--fork", "sh", "-c", script, "--", ...vars, ...command],
    {
      env: { ROOTFS: rootfs, PATH: process.env.PATH ?? "/usr/bin:/bin" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (output += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the image did not start:\n${output}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`the image exited (${code}):\n${output}`)));
    child.stdout?.on("data", () => {
      const m = /TradAI platform listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace("0.0.0.0", "127.0.0.1"));
      }
    });
  });
  return { child, url, output: () => output };
}

describe("the container image", () => {
  it("is labelled, runs as a non-root user under tini, and keeps its state in a volume", () => {
    expect(config.Labels["org.opencontainers.image.title"]).toBe("tradai-config-platform");
    expect(config.Labels["org.opencontainers.image.version"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(config.User).toBe("10001:10001");
    expect(config.Entrypoint).toEqual(["/usr/bin/tini", "--", "tradai"]);
    expect(config.Cmd).toEqual(["serve"]);
    expect(Object.keys(config.Volumes ?? {})).toEqual(["/var/lib/tradai"]);
    // Production dependencies only: no test runner, compiler or bundler in it.
    for (const dev of ["vitest", "typescript", "vite", "playwright-core", "@biomejs/biome"]) {
      expect(() => sh("test", ["-e", join(rootfs, "app/node_modules", dev)]), dev).toThrow();
    }
  });

  it("serves from its own filesystem, read-only but its volumes, on a real PostgreSQL; SIGTERM ends it with 0", async () => {
    const database = await createDatabase(postgres.url, "image");
    const { child, url, output } = await runImage({
      TRADAI_DATABASE_URL: database,
      TRADAI_PORT: "0", // the image's 8000 may be taken here
      TRADAI_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    });
    try {
      expect((await fetch(`${url}/api/v1/health/ready`)).status, output()).toBe(200);
      const consolePage = await fetch(`${url}/`);
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toContain('<div id="root">');
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      // The first admin (an empty database: migrations ran from the image's files) logs in.
      const me = await fetch(`${url}/api/v1/auth/me`, {
        headers: { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString("base64")}` },
      });
      expect(me.status, await me.clone().text()).toBe(200);
      expect(await me.json()).toMatchObject({ name: "admin" });
      // tini is the chroot's process: SIGTERM to it reaches the server, which drains and exits 0.
      const tini = sh("pgrep", ["-P", String(child.pid)]);
      const exited = once(child, "exit");
      process.kill(Number(tini), "SIGTERM");
      const [code] = (await exited) as [number | null];
      expect(code, output()).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
