/**
 * The Helm chart (issue 18), without a helm binary: rendered by deploy/helm/render (Go's
 * text/template with sprig and Helm's own few functions), every object validated against the
 * Kubernetes schemas (kubernetes-models, and the Prometheus Operator's), its values against
 * values.schema.json, its alert rules by promtool; then the rendered Deployment itself run: its
 * args, its ConfigMap and Secret settings (each a setting the server has) and its volumes, against a
 * real PostgreSQL, its probes' paths asked, and its drain on SIGTERM watched.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { SETTING_VARIABLES } from "@tradai/server";
import { Ajv } from "ajv";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Service, ServiceAccount } from "kubernetes-models/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../test-support/postgres-server.js";
import { startServerProcess } from "../../test-support/server-process.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const CHART = join(HERE, "tradai");
const ALL_ON = [
  "metrics.serviceMonitor.enabled=true",
  "metrics.prometheusRule.enabled=true",
  "metrics.grafanaDashboard.enabled=true",
  "autoscaling.enabled=true",
];

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects of any kind
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: any }; [k: string]: any };

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "networking.k8s.io/v1/Ingress": Ingress,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
};

let renderer: string;
let work: string;

function render(sets: string[] = []): K8sObject[] {
  const args = [...sets.flatMap((s) => ["--set", s]), CHART];
  const text = execFileSync(renderer, args, { encoding: "utf8" });
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
}
const find = (objects: K8sObject[], kind: string) => objects.find((o) => o.kind === kind) as K8sObject;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "tradai-chart-"));
  renderer = join(work, "render");
  // Debian's Go and its packaged sprig and yaml.v3 (GOPATH mode: nothing is downloaded).
  const built = spawnSync("go", ["build", "-o", renderer, "./deploy/helm/render"], {
    cwd: join(HERE, "../.."),
    env: { ...process.env, GO111MODULE: "off", GOPATH: "/usr/share/gocode", GOCACHE: join(work, "gocache") },
    encoding: "utf8",
  });
  expect(built.error, "go is missing: .ci/run installs golang-go and the sprig and yaml.v3 packages").toBeUndefined();
  expect(built.status, built.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the Helm chart", () => {
  it("renders objects the Kubernetes schemas accept, with defaults and with every option on", () => {
    for (const sets of [[], ALL_ON]) {
      const objects = render(sets);
      for (const o of objects) {
        const Model = MODELS[`${o.apiVersion}/${o.kind}`];
        expect(Model, `${o.apiVersion} ${o.kind} has no schema here`).toBeDefined();
        expect(
          () => new (Model as NonNullable<typeof Model>)(o as never).validate(),
          `${o.kind} ${o.metadata.name}`,
        ).not.toThrow();
      }
      const kinds = objects.map((o) => o.kind).sort();
      expect(kinds).toEqual(
        sets.length === 0
          ? ["ConfigMap", "Deployment", "Ingress", "PodDisruptionBudget", "Service", "ServiceAccount"]
          : [
              "ConfigMap",
              "ConfigMap",
              "Deployment",
              "HorizontalPodAutoscaler",
              "Ingress",
              "PodDisruptionBudget",
              "PrometheusRule",
              "Service",
              "ServiceAccount",
              "ServiceMonitor",
            ],
      );
    }
    // The autoscaler owns the replica count.
    expect(find(render(), "Deployment").spec.replicas).toBe(2);
    expect(find(render(ALL_ON), "Deployment").spec.replicas).toBeUndefined();
  });

  it("the ingress is nginx's with a cert-manager certificate; the pod's grace covers preStop and the drain", () => {
    const objects = render(["shutdownGraceSeconds=25", "preStopSeconds=7"]);
    const ingress = find(objects, "Ingress");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
    expect(ingress.spec.tls[0].secretName).toBe("tradai-tls");
    const pod = find(objects, "Deployment").spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(25 + 7 + 5);
    expect(pod.containers[0].lifecycle.preStop.exec.command).toEqual(["sleep", "7"]);
    expect(find(objects, "ConfigMap").data.TRADAI_SHUTDOWN_GRACE_SECONDS).toBe("25");
  });

  it("the alert rules it ships are the tested ones, and promtool accepts them; the dashboard is the repository's", () => {
    const objects = render(ALL_ON);
    const rule = find(objects, "PrometheusRule");
    expect(rule.spec).toEqual(parseYaml(readFileSync(join(HERE, "../prometheus/tradai-alerts.yml"), "utf8")));
    const rules = join(work, "rules.yml");
    writeFileSync(rules, JSON.stringify(rule.spec));
    const check = spawnSync("promtool", ["check", "rules", rules], { encoding: "utf8" });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const dashboard = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-dashboard"));
    expect(JSON.parse(dashboard?.data["tradai-distribution.json"])).toEqual(
      JSON.parse(readFileSync(join(HERE, "../grafana/tradai-distribution.json"), "utf8")),
    );
  });

  it("values.schema.json accepts the documented values and refuses bad ones, naming them", () => {
    const validate = new Ajv({ allErrors: true }).compile(
      JSON.parse(readFileSync(join(CHART, "values.schema.json"), "utf8")),
    );
    const values = parseYaml(readFileSync(join(CHART, "values.yaml"), "utf8"));
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
    const refused = (patch: Record<string, unknown>) => {
      expect(validate({ ...values, ...patch })).toBe(false);
      return JSON.stringify(validate.errors);
    };
    expect(refused({ replicaCount: "two" })).toContain("/replicaCount");
    expect(refused({ replicas: 3 })).toContain("replicas");
    expect(refused({ settings: { DATABASE_URL: "x" } })).toContain("/settings");
    expect(refused({ settings: { TRADAI_DATABASE_URL: "postgres://secret@db/x" } })).toContain("/settings");
    expect(refused({ database: { existingSecret: "", key: "url" } })).toContain("/database/existingSecret");
    // A typo, a setting the chart sets itself, a secret: refused among the plain settings.
    expect(refused({ settings: { TRADAI_LOG_LEVLE: "info" } })).toContain("/settings");
    expect(refused({ settings: { TRADAI_SHUTDOWN_GRACE_SECONDS: 5 } })).toContain("/settings");
    expect(refused({ settings: { TRADAI_ALERT_WEBHOOK_URL: "https://hooks.example/secret" } })).toContain("/settings");
    expect(refused({ settings: { TRADAI_LEGACY_MIRROR_URL: "postgres://u:p@legacy/db" } })).toContain("/settings");
    // Every setting the server reads, but those, may be given.
    const allowed = JSON.parse(readFileSync(join(CHART, "values.schema.json"), "utf8")).properties.settings
      .propertyNames.enum as string[];
    const owned = Object.keys(find(render(), "ConfigMap").data).filter((k) => !(k in values.settings));
    const secrets = ["TRADAI_DATABASE_URL", "TRADAI_ADMIN_PASSWORD", "TRADAI_ALERT_WEBHOOK_URL"];
    expect([...allowed].sort()).toEqual(
      SETTING_VARIABLES.filter((v) => v.startsWith("TRADAI_") && !owned.includes(v) && !secrets.includes(v)).sort(),
    );
  });

  it("every setting it names is one the server reads; a missing database Secret fails the render", () => {
    const objects = render();
    const named = [
      ...Object.keys(find(objects, "ConfigMap").data),
      ...find(objects, "Deployment").spec.template.spec.containers[0].env.map((e: { name: string }) => e.name),
    ];
    expect(named.filter((n) => !SETTING_VARIABLES.includes(n))).toEqual([]);
    const failed = spawnSync(renderer, ["--set", "database.existingSecret=", CHART], { encoding: "utf8" });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain("database.existingSecret: the Secret holding the PostgreSQL URL");
  });

  describe("the rendered Deployment, run", () => {
    let postgres: PostgresServer;
    beforeAll(async () => {
      postgres = await startPostgresServer();
    });
    afterAll(async () => {
      await postgres?.stop();
    });

    it("starts from its args and settings on a real PostgreSQL, answers its probes, and drains on SIGTERM", async () => {
      const objects = render(["shutdownGraceSeconds=10"]);
      const configMap = find(objects, "ConfigMap").data as Record<string, string>;
      const container = find(objects, "Deployment").spec.template.spec.containers[0];
      // The Secrets the Deployment names, as the cluster would hold them.
      const secrets: Record<string, Record<string, string>> = {
        "tradai-database": { url: await createDatabase(postgres.url, "chart") },
      };
      const env: Record<string, string> = { ...configMap };
      for (const e of container.env)
        env[e.name] = secrets[e.valueFrom.secretKeyRef.name]?.[e.valueFrom.secretKeyRef.key] as string;
      expect(env.TRADAI_DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
      // The root filesystem is read-only: every directory the server writes is on a mounted volume,
      // which here is a temporary directory.
      const mounts = container.volumeMounts.map((m: { mountPath: string }) => m.mountPath) as string[];
      const volume = mkdtempSync(join(work, "volume-"));
      for (const name of Object.keys(env).filter((n) => n.endsWith("_DIR"))) {
        const mount = mounts.find((m) => env[name]?.startsWith(`${m}/`));
        expect(mount, `${name}=${env[name]} is on no volume`).toBeDefined();
        env[name] = join(volume, (env[name] as string).slice((mount as string).length));
      }
      // Its port, as the pod's: a free one here.
      expect(Number(env.TRADAI_PORT)).toBe(container.ports[0].containerPort);
      env.TRADAI_PORT = "0";

      const server = await startServerProcess(env, { args: container.args });
      try {
        const url = server.url.replace("0.0.0.0", "127.0.0.1");
        for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
          const path = container[probe].httpGet.path as string;
          expect(container[probe].httpGet.port).toBe(container.ports[0].name);
          // As the kubelet does: asked again until it passes (readiness waits for the change feed's LISTEN).
          let answer = await fetch(`${url}${path}`);
          for (let tries = 0; answer.status !== 200 && tries < 60; tries++) {
            await new Promise((r) => setTimeout(r, 500));
            answer = await fetch(`${url}${path}`);
          }
          expect(answer.status, `${probe} ${path}: ${await answer.text()}`).toBe(200);
        }
        // SIGTERM: readiness fails at once (the Service stops routing), then it exits 0 within its grace.
        const stopped = server.stop();
        // Not ready once the signal is handled: 503, or the listener already closed (a probe that cannot
        // connect fails too). Asked until then, as the kubelet asks every period.
        const readiness = async () => {
          const answer = await fetch(`${url}${container.readinessProbe.httpGet.path}`).catch(() => undefined);
          return answer?.status ?? "refused";
        };
        let ready = await readiness();
        for (let tries = 0; ready === 200 && tries < 100; tries++) {
          await new Promise((r) => setTimeout(r, 20));
          ready = await readiness();
        }
        expect([503, "refused"]).toContain(ready);
        // 0: it drained within its grace (past it, the server exits 1 by itself).
        expect((await stopped).code, server.output()).toBe(0);
      } finally {
        await server.kill();
      }
    });
  });
});
