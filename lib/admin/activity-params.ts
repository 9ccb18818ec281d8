/**
 * The activity log's filters, read from the URL with zod. A bad value is dropped
 * with a message saying why; it never reaches the library or crashes the page.
 */
import { z } from "zod";
import type { ActivityFilter } from "@temporal-records/drizzle";
import { addDays, isDay, startOfDay } from "./dates";
import { adminTable } from "./registry";

export type SearchParams = Record<string, string | string[] | undefined>;

export type ActivityParams = { actor?: string; q?: string; table?: string; from?: string; to?: string; cursor?: string };

const day = z.string().refine(isDay, "use a real date written as YYYY-MM-DD");

/** Each filter's schema (the export reuses them, refusing what the page ignores). */
export const ACTIVITY_PARAM_SCHEMAS = {
  actor: z.string().max(200, "at most 200 characters"),
  q: z.string().max(200, "at most 200 characters"),
  table: z.string().refine((slug) => adminTable(slug) !== undefined, "no such table"),
  from: day,
  to: day,
  cursor: z.string().regex(/^[0-9]{1,18}$/, "not a page of this log"),
} satisfies Record<keyof ActivityParams, z.ZodType<string>>;

export const ACTIVITY_PARAM_NAMES: Record<keyof ActivityParams, string> = {
  actor: "actor",
  q: "reason search",
  table: "table",
  from: "From date",
  to: "To date",
  cursor: "page",
};

/** The valid filters in the URL, and a message for each one that was ignored. */
export function parseActivityParams(raw: SearchParams): { params: ActivityParams; problems: string[] } {
  const params: ActivityParams = {};
  const problems: string[] = [];
  for (const name of Object.keys(ACTIVITY_PARAM_SCHEMAS) as (keyof ActivityParams)[]) {
    const value = raw[name];
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!text) continue;
    const parsed = ACTIVITY_PARAM_SCHEMAS[name].safeParse(text);
    if (parsed.success) params[name] = parsed.data;
    else problems.push(`Ignored the ${ACTIVITY_PARAM_NAMES[name]} filter: ${parsed.error.issues[0]?.message ?? "not a valid value"}.`);
  }
  if (params.from && params.to && params.from > params.to) {
    problems.push("The From date is after the To date, so no activity can match. Swap them to see results.");
  }
  return { params, problems };
}

/** The library filter for the params: dates are whole days in the given zone, both included. */
export function activityFilter(params: ActivityParams, timeZone: string, limit: number): ActivityFilter {
  return {
    actor: params.actor,
    search: params.q,
    table: params.table ? adminTable(params.table)?.table : undefined,
    from: params.from ? startOfDay(params.from, timeZone) : undefined,
    to: params.to ? startOfDay(addDays(params.to, 1), timeZone) : undefined,
    cursor: params.cursor,
    limit,
  };
}

/** The log's URL with these params (empty ones left out). */
export function activityHref(params: ActivityParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `/activity?${text}` : "/activity";
}
