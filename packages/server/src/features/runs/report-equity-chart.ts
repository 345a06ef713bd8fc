/** @module The run report's equity curve: a line chart of the result's equity points, in the stake currency. */
import { MARGIN } from "./report-layout.js";

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

/** The plot's height when a page has room for it, and the least it shrinks to to stay on a page. */
export const PLOT_HEIGHT = { full: 200, least: 140 };
/** Around the plot: axis labels and the summary line under it. */
export const CHART_CHROME = 45;

const money = (value: number, decimals = 2) =>
  value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
/** An axis label fits its 50 points: large amounts lose their cents. */
const axis = (value: number) => money(value, Math.abs(value) >= 100_000 ? 0 : 2);

export function drawEquityChart(
  doc: PDFKit.PDFDocument,
  points: EquityPoint[],
  width: number,
  currency: string,
  plotHeight: number,
): void {
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
  const y = (v: number) => top + plotHeight - ((v - min) / (max - min)) * plotHeight;

  doc.lineWidth(0.5).strokeColor("#9ca3af").rect(left, top, plotWidth, plotHeight).stroke();
  doc.font("Helvetica").fontSize(8).fillColor("#374151");
  doc.text(axis(max), MARGIN, top - 4, { width: 50, align: "right" });
  doc.text(axis(min), MARGIN, top + plotHeight - 6, { width: 50, align: "right" });
  doc.text((points[0] as EquityPoint).time.slice(0, 10), left, top + plotHeight + 4, { lineBreak: false });
  doc.text((points.at(-1) as EquityPoint).time.slice(0, 10), left + plotWidth - 60, top + plotHeight + 4, {
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
  doc.y = top + plotHeight + 20;
  doc
    .font("Helvetica")
    .fontSize(9.5)
    .fillColor("#4b5563")
    .text(
      `${points.length} point(s), equity from ${money(values[0] as number)} to ${money(values.at(-1) as number)} ${currency}`,
      MARGIN,
      doc.y,
      { width },
    );
}
