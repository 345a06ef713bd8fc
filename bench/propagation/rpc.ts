/**
 * @module How the propagation benchmark talks to its helper processes: requests and replies over
 * the Node IPC channel, and unsolicited notes (progress). Also the one clock every process uses:
 * `now()` = performance.timeOrigin + performance.now(), wall-clock milliseconds with sub-ms precision.
 */
import { type ChildProcess, fork } from "node:child_process";

export const now = () => performance.timeOrigin + performance.now();

interface Request {
  id: number;
  cmd: string;
  args?: unknown;
}
interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}
export interface Note {
  note: string;
  [field: string]: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: each handler declares its own argument type
type Handlers = Record<string, (args: any) => unknown>;

/** In a helper process: answer the parent's requests; exit when the parent goes away. */
export function serveRequests(handlers: Handlers): void {
  process.on("message", async (message: Request) => {
    try {
      const handler = handlers[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      process.send?.({ id: message.id, result: await handler(message.args) } satisfies Reply);
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error).stack ?? String(error) } satisfies Reply);
    }
  });
  process.on("disconnect", () => process.exit(0));
}

/** In a helper process: tell the parent something (progress). */
export const sendNote = (note: Note) => process.send?.(note);

/** A helper process seen from the benchmark: its own process group, so it can be killed with all it started. */
export class Helper {
  readonly process: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly noteListeners = new Set<(note: Note) => void>();

  constructor(
    readonly name: string,
    script: string,
    execArgv: string[] = [],
  ) {
    this.process = fork(script, [], { detached: true, execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.process.on("message", (message: Reply | Note) => {
      if ("note" in message) for (const listener of this.noteListeners) listener(message);
      else {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(`${this.name}: ${message.error}`));
        else waiter?.resolve(message.result);
      }
    });
    this.process.on("exit", (code, signal) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.process.pid as number;
  }

  call<T>(cmd: string, args?: unknown, timeoutMs = 600_000): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: ${cmd} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, cmd, args } satisfies Request);
    });
  }

  onNote(listener: (note: Note) => void): () => void {
    this.noteListeners.add(listener);
    return () => this.noteListeners.delete(listener);
  }

  /** SIGKILL to its whole process group. */
  kill(): void {
    killGroup(this.process);
  }

  /** Closes the IPC channel (the helper exits by itself), then kills what is left after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    if (child.connected) child.disconnect();
    await Promise.race([exited, new Promise((done) => setTimeout(done, graceMs).unref())]);
    killGroup(child);
  }
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
