"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartRow } from "@/lib/admin/chart-data";

export type Series = { key: string; label: string; color: string };

const dayFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const longFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
const asDate = (day: unknown) => new Date(`${String(day)}T00:00:00Z`);

/**
 * Stacked bars of changes per table. Decorative for assistive technology: the
 * figure around it carries a summary and the same numbers as a table.
 */
export function ChangesChart({ rows, series, bucket }: { rows: ChartRow[]; series: Series[]; bucket: "day" | "week" }) {
  return (
    <div aria-hidden="true" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 256 }}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="15%" accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--color-line)" />
          <XAxis
            dataKey="bucket"
            tickFormatter={(day: string) => dayFormat.format(asDate(day))}
            minTickGap={24}
            tick={{ fontSize: 11, fill: "var(--color-faint)" }}
            tickLine={false}
            axisLine={{ stroke: "var(--color-line)" }}
          />
          <YAxis allowDecimals={false} width={44} tick={{ fontSize: 11, fill: "var(--color-faint)" }} tickLine={false} axisLine={false} />
          <Tooltip
            cursor={{ fill: "rgb(148 163 184 / 0.15)" }}
            labelFormatter={(day) => (bucket === "week" ? `Week of ${longFormat.format(asDate(day))}` : longFormat.format(asDate(day)))}
            contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "var(--color-line)" }}
          />
          <Legend itemSorter={null} iconType="square" iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="changes" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
