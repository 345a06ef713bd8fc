/**
 * @module A stand-in MLflow tracking server (the REST 2.0 endpoints the platform calls), over
 * real HTTP on loopback. It is a test double of an external system, not of our code.
 */
import { createServer, type Server } from "node:http";

export interface FakeMlflow {
  url: string;
  runs: Map<
    string,
    { experiment_id: string; tags: Record<string, string>; status?: string; metrics: Record<string, number> }
  >;
  experiments: Map<string, string>;
  /** When set, every call answers this status. */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startFakeMlflow(): Promise<FakeMlflow> {
  const state: FakeMlflow = {
    url: "",
    runs: new Map(),
    experiments: new Map(),
    failWith: undefined,
    close: async () => {},
  };
  let next = 1;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (state.failWith) return send(state.failWith, { error_code: "TEMPORARILY_UNAVAILABLE", message: "down" });
      const input = body ? JSON.parse(body) : {};
      switch (`${req.method} ${url.pathname}`) {
        case "GET /api/2.0/mlflow/experiments/get-by-name": {
          const id = state.experiments.get(url.searchParams.get("experiment_name") ?? "");
          return id
            ? send(200, { experiment: { experiment_id: id } })
            : send(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "no experiment" });
        }
        case "POST /api/2.0/mlflow/experiments/create": {
          const id = String(next++);
          state.experiments.set(input.name, id);
          return send(200, { experiment_id: id });
        }
        case "POST /api/2.0/mlflow/runs/create": {
          const id = `run${next++}`;
          const tags = Object.fromEntries(
            (input.tags ?? []).map((t: { key: string; value: string }) => [t.key, t.value]),
          );
          state.runs.set(id, { experiment_id: input.experiment_id, tags, metrics: {} });
          return send(200, { run: { info: { run_id: id } } });
        }
        case "POST /api/2.0/mlflow/runs/log-batch": {
          const run = state.runs.get(input.run_id);
          for (const m of input.metrics ?? []) if (run) run.metrics[m.key] = m.value;
          return send(200, {});
        }
        case "POST /api/2.0/mlflow/runs/update": {
          const run = state.runs.get(input.run_id);
          if (run) run.status = input.status;
          return send(200, {});
        }
        case "GET /api/2.0/mlflow/runs/get": {
          const run = state.runs.get(url.searchParams.get("run_id") ?? "");
          if (!run) return send(404, { error_code: "RESOURCE_DOES_NOT_EXIST" });
          return send(200, {
            run: { data: { tags: Object.entries(run.tags).map(([key, value]) => ({ key, value })) } },
          });
        }
        default:
          return send(404, { error_code: "ENDPOINT_NOT_FOUND" });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  state.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
