/**
 * @module A run's report as a PDF (pdfkit, pure JS): identity, parameters with provenance,
 * metrics and the equity curve drawn as a line chart. Parity with the legacy tool's download.
 */
import type { ParameterSet, Run } from "@tradai/core";
import PDFDocument from "pdfkit";

export interface ReportInput {
  run: Run;
  parameter_set: ParameterSet | null;
  metrics: Record<string, unknown> | null;
  equity_curve: unknown[];
}

export interface EquityPoint {
  time: string;
  equity: number;
}

/** The points of a result's equity curve that carry a time and a finite equity; others are skipped. */
export function equityPoints(curve: unknown[]): EquityPoint[] {
  const points: EquityPoint[] = [];
  for (const p of curve) {
    if (p && typeof p === "object") {
      const { time, equity } = p as { time?: unknown; equity?: unknown };
      if (typeof time === "string" && typeof equity === "number" && Number.isFinite(equity))
        points.push({ time, equity });
    }
  }
  return points;
}

const text = (value: unknown): string =>
  value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value);

/** Top-level and nested values flattened to dotted paths, sorted, with the provenance of each path. */
function parameterRows(ps: ParameterSet): { path: string; value: string; origin: string }[] {
  const rows: { path: string; value: string; origin: string }[] = [];
  const walk = (value: unknown, path: string) => {
    if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
      return;
    }
    const top = path.split(".")[0] as string;
    rows.push({ path, value: text(value), origin: ps.provenance[path] ?? ps.provenance[top] ?? "—" });
  };
  for (const [key, value] of Object.entries(ps.values)) walk(value, key);
  return rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const MARGIN = 50;

/** Renders the report; `compress: false` keeps the text readable in the bytes (tests read it). */
export function renderRunReport(input: ReportInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    compress: options.compress ?? true,
    info: { Title: `TradAI run ${input.run.job_id}`, Creator: "TradAI" },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const { run } = input;
  const width = doc.page.width - 2 * MARGIN;

  const heading = (title: string) => {
    if (doc.y > doc.page.height - 120) doc.addPage();
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).fillColor("#111827").text(title, MARGIN);
    doc.moveDown(0.3).font("Helvetica").fontSize(9.5);
  };
  /** `mono`: hashes and ids in a narrow fixed-width face, so a 64-digit hash fits its column. */
  const row = (label: string, value: string, extra?: string, mono = false) => {
    if (doc.y > doc.page.height - 70) doc.addPage();
    const y = doc.y;
    doc.font("Helvetica-Bold").fillColor("#374151").text(label, MARGIN, y, { width: 150 });
    const afterLabel = doc.y;
    doc
      .font(mono ? "Courier" : "Helvetica")
      .fontSize(mono ? 8 : 9.5)
      .fillColor("#111827")
      .text(value, MARGIN + 155, y, { width: extra ? width - 265 : width - 155 });
    doc.font("Helvetica").fontSize(9.5);
    let bottom = Math.max(afterLabel, doc.y);
    if (extra) {
      doc.fillColor("#4b5563").text(extra, MARGIN + width - 105, y, { width: 105 });
      bottom = Math.max(bottom, doc.y);
    }
    doc.x = MARGIN;
    doc.y = bottom + 2;
  };

  doc.font("Helvetica-Bold").fontSize(18).fillColor("#111827").text("TradAI backtest report");
  doc.font("Helvetica").fontSize(10).fillColor("#4b5563").text(`Run ${run.job_id}`);

  heading("Run");
  row("Job id", run.job_id);
  row("Strategy", run.strategy);
  row("Environment", run.environment);
  row("Status", run.error ? `${run.status}: ${run.error}` : run.status);
  row("Progress", `${run.progress}%`);
  row("Config version", run.config_version_id ?? "none (run without a config version)");
  row("Parameter set hash", run.parameter_set_hash, undefined, true);
  if (run.experiment_name) row("Experiment", run.experiment_name);
  if (run.rerun_of) row("Re-run of", run.rerun_of);
  row("Submitted by", run.submitted_by);
  row("Created", run.created_at);
  row("Started", run.started_at ?? "—");
  row("Finished", run.finished_at ?? "—");

  heading("Parameters");
  if (!input.parameter_set) doc.text("The run's parameter set was not found.");
  else {
    for (const p of parameterRows(input.parameter_set)) row(p.path, p.value, p.origin);
  }

  heading("Metrics");
  const metrics = Object.entries(input.metrics ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (metrics.length === 0) doc.text(`This run has no results (status ${run.status}).`);
  else for (const [key, value] of metrics) row(key, text(value));

  heading("Equity curve");
  const points = equityPoints(input.equity_curve);
  if (points.length === 0) doc.text(`This run has no equity curve (status ${run.status}).`);
  else drawEquityChart(doc, points, width);

  doc.end();
  return done;
}

function drawEquityChart(doc: PDFKit.PDFDocument, points: EquityPoint[], width: number): void {
  const height = 200;
  if (doc.y + height + 40 > doc.page.height - MARGIN) doc.addPage();
  const left = MARGIN + 55;
  const top = doc.y + 5;
  const plotWidth = width - 60;
  const values = points.map((p) => p.equity);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const x = (i: number) => left + (points.length === 1 ? plotWidth / 2 : (i / (points.length - 1)) * plotWidth);
  const y = (v: number) => top + height - ((v - min) / (max - min)) * height;

  doc.lineWidth(0.5).strokeColor("#9ca3af").rect(left, top, plotWidth, height).stroke();
  doc.font("Helvetica").fontSize(8).fillColor("#374151");
  doc.text(max.toFixed(2), MARGIN, top - 4, { width: 50, align: "right" });
  doc.text(min.toFixed(2), MARGIN, top + height - 6, { width: 50, align: "right" });
  doc.text((points[0] as EquityPoint).time.slice(0, 10), left, top + height + 4, { lineBreak: false });
  doc.text((points.at(-1) as EquityPoint).time.slice(0, 10), left + plotWidth - 60, top + height + 4, {
    width: 60,
    align: "right",
  });
  doc.lineWidth(1.2).strokeColor("#2563eb");
  if (points.length === 1) {
    doc.circle(x(0), y(values[0] as number), 2).fill("#2563eb");
  } else {
    doc.moveTo(x(0), y(values[0] as number));
    for (let i = 1; i < points.length; i++) doc.lineTo(x(i), y(values[i] as number));
    doc.stroke();
  }
  doc.x = MARGIN;
  doc.y = top + height + 20;
  doc
    .fillColor("#4b5563")
    .text(
      `${points.length} point(s), equity from ${(values[0] as number).toFixed(2)} to ${(values.at(-1) as number).toFixed(2)}`,
      MARGIN,
      doc.y,
      { width },
    );
}
