/**
 * Turns the library's per-day tick counts into chart rows: one row per day (or
 * per week for long ranges), zeros filled in, one column per table.
 */
import { z } from "zod";
import type { DailyTicks } from "@temporal-records/drizzle";
import { addDays, dayIn, daysBetween, startOfDay } from "./dates";

export const RANGES = {
  "90d": { label: "90 days", bucket: "day" },
  "1y": { label: "1 year", bucket: "day" },
  all: { label: "Since Jan 2024", bucket: "week" },
} as const;
export type RangeKey = keyof typeof RANGES;
export const DEFAULT_RANGE: RangeKey = "1y";
const ALL_FROM = "2024-01-01";

const rangeSchema = z.enum(["90d", "1y", "all"]).catch(DEFAULT_RANGE);

/** The chart range in the URL (`?range=`); anything else falls back to the default. */
export function parseRange(value: string | string[] | undefined): RangeKey {
  return rangeSchema.parse(Array.isArray(value) ? value[0] : value);
}

/** The range as days in the zone ([fromDay, today]) and as moments for the library ([from, to)). */
export function rangeMoments(range: RangeKey, timeZone: string, now = new Date()) {
  const today = dayIn(now, timeZone);
  const fromDay = range === "90d" ? addDays(today, -89) : range === "1y" ? addDays(today, -364) : ALL_FROM;
  return { fromDay, today, from: startOfDay(fromDay, timeZone), to: startOfDay(addDays(today, 1), timeZone) };
}

export type ChartRow = { bucket: string } & Record<string, number | string>;

/** The Monday on or before a day. */
function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

export function chartRows(ticks: DailyTicks[], tables: string[], fromDay: string, today: string, bucket: "day" | "week"): ChartRow[] {
  const keyOf = bucket === "week" ? weekOf : (day: string) => day;
  const rows = new Map<string, ChartRow>();
  const step = bucket === "week" ? 7 : 1;
  for (let day = keyOf(fromDay); daysBetween(day, today) >= 0; day = addDays(day, step)) {
    rows.set(day, { bucket: day, ...Object.fromEntries(tables.map((t) => [t, 0])) });
  }
  for (const t of ticks) {
    const row = rows.get(keyOf(t.day));
    if (row && tables.includes(t.table)) row[t.table] = Number(row[t.table] ?? 0) + t.ticks;
  }
  return [...rows.values()];
}

export function rowTotal(row: ChartRow, tables: string[]): number {
  return tables.reduce((sum, t) => sum + Number(row[t] ?? 0), 0);
}
