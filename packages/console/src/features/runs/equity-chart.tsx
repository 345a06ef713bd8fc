/**
 * @module The equity line chart itself (recharts): its own chunk, loaded by the run's page once it
 * has a curve to draw, so no other page and not the run's first paint carries the chart library.
 */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatTime } from "@/lib/format";
import type { EquityPoint } from "./run-equity-query";

export function EquityChart({ points }: { points: EquityPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="time" tickFormatter={(t: string) => t.slice(0, 10)} minTickGap={32} fontSize={11} />
        <YAxis domain={["auto", "auto"]} fontSize={11} width={64} />
        <Tooltip labelFormatter={(t) => formatTime(String(t))} />
        <Line type="monotone" dataKey="equity" stroke="#2563eb" dot={points.length === 1} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
