"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type StepPoint = { t: number; v: number | null; vclock: number };

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/**
 * A numeric property over time as steps (each value holds until the next), with a dot
 * per change. Decorative for assistive technology: the lane above it and its "view as
 * table" carry the same values.
 */
export function StepChart({
  label,
  kind,
  from,
  to,
  points,
  timeZone,
}: {
  label: string;
  kind: string;
  from: number;
  to: number;
  points: StepPoint[];
  timeZone: string;
}) {
  const day = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "short", day: "numeric" });
  const format = (v: number) => (kind === "money" ? money.format(v) : String(v));
  // The last value holds until the window's end.
  const data = [...points, { t: to, v: points[points.length - 1]?.v ?? null, vclock: -1 }];
  return (
    <div aria-hidden="true" className="h-32 w-full" data-testid={`chart-${label}`}>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 128 }}>
        <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--color-line)" />
          <XAxis
            dataKey="t"
            type="number"
            domain={[from, to]}
            scale="time"
            tickFormatter={(t: number) => day.format(new Date(t))}
            minTickGap={40}
            tick={{ fontSize: 10, fill: "var(--color-faint)" }}
            tickLine={false}
            axisLine={{ stroke: "var(--color-line)" }}
          />
          <YAxis
            width={64}
            tickFormatter={format}
            tick={{ fontSize: 10, fill: "var(--color-faint)" }}
            tickLine={false}
            axisLine={false}
            domain={["auto", "auto"]}
          />
          <Tooltip
            labelFormatter={(t) => day.format(new Date(Number(t)))}
            formatter={(v) => [format(Number(v)), label]}
            contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "var(--color-line)" }}
          />
          <Line
            type="stepAfter"
            dataKey="v"
            stroke="var(--color-accent)"
            strokeWidth={1.5}
            dot={(props: { cx?: number; cy?: number; index?: number; payload?: StepPoint }) =>
              props.payload && props.payload.vclock > 0 && props.cx !== undefined && props.cy !== undefined ? (
                <circle key={props.index} cx={props.cx} cy={props.cy} r={2.5} fill="var(--color-accent)" />
              ) : (
                <g key={props.index} />
              )
            }
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
