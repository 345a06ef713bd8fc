/**
 * @module The server's logger: one readable line per event for a person at a terminal, one JSON
 * object per line for machines (Loki, a pod's log), chosen by TRADAI_LOG_FORMAT (auto: readable
 * when stdout is a terminal).
 */
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import type { Settings } from "../settings.js";

const REDACT = ["req.headers.authorization", "req.headers.cookie"];

export function usesPrettyLogs(format: Settings["logFormat"], stdoutIsTerminal = Boolean(process.stdout.isTTY)) {
  return format === "pretty" || (format === "auto" && stdoutIsTerminal);
}

export function serverLogger(settings: Pick<Settings, "logLevel" | "logFormat">): Logger {
  const options = { level: settings.logLevel, redact: REDACT };
  if (!usesPrettyLogs(settings.logFormat)) return pino(options);
  return pino(
    options,
    pretty({
      // Synchronous, on this thread: a line is on the terminal before the next one starts.
      // Every field goes into the one line (readableLine), none on lines of their own.
      sync: true,
      ignore: "pid,hostname",
      colorize: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      translateTime: "SYS:HH:MM:ss.l",
      hideObject: true,
      messageFormat: (log, messageKey) => readableLine(log, messageKey),
    }),
  );
}

const OMITTED = new Set(["level", "time", "pid", "hostname", "err"]);
const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** `request refused GET /api/v1/configs 401 1.2 ms  request_id=…`: the message, then each field as key=value. */
export function readableLine(log: Record<string, unknown>, messageKey: string): string {
  const { method, route, status, ms, actor } = log;
  const request =
    typeof method === "string" && status !== undefined
      ? ` ${method} ${route ?? "(no route)"} ${status} ${ms} ms${actor ? ` by ${actor}` : ""}`
      : "";
  const skip = new Set([...OMITTED, messageKey, ...(request ? ["method", "route", "status", "ms", "actor"] : [])]);
  const fields = Object.entries(log)
    .filter(([key, value]) => !skip.has(key) && value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${text(value)}`);
  const err = log.err as { type?: string; message?: string } | undefined;
  const error = err ? ` error=${text(`${err.type ?? "Error"}: ${err.message ?? ""}`)}` : "";
  return `${text(log[messageKey] ?? "")}${request}${fields.length ? `  ${fields.join(" ")}` : ""}${error}`;
}
