/**
 * The exports' query strings, parsed with zod. Unlike the pages, which drop a bad filter
 * and say so, an export refuses the whole request (400): a file that silently left out
 * a filter would be a wrong file. Unknown and repeated parameters are refused too.
 */
import { z } from "zod";
import { ACTIVITY_PARAM_SCHEMAS, type ActivityParams } from "../activity-params";
import { isTimeZone } from "../time-zone";
import type { ExportFormat } from "./encode";

export type ParamIssue = { param: string; message: string };
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: ParamIssue[] };

/** What every export takes: the format, the upper bound, and whether the manifest is wanted. */
export type ExportCommon = { format: ExportFormat; until?: Date; manifest: boolean };
export type ActivityExportParams = ExportCommon & { filters: Omit<ActivityParams, "cursor">; tz?: string };
export type HistoryExportParams = ExportCommon;

const common = {
  format: z.enum(["csv", "json"], { error: "use csv or json" }),
  until: z.iso
    .datetime({ offset: true, error: "use a moment in ISO 8601 with its offset, such as 2026-12-03T07:12:00Z" })
    .transform((text) => new Date(text))
    .refine((moment) => moment.getTime() <= Date.now(), "this moment is in the future; leave until out to export up to now"),
  manifest: z.literal("1", { error: "use manifest=1 for the manifest, or leave it out for the export itself" }).transform(() => true),
};

const activityShape = {
  ...common,
  actor: ACTIVITY_PARAM_SCHEMAS.actor,
  q: ACTIVITY_PARAM_SCHEMAS.q,
  table: ACTIVITY_PARAM_SCHEMAS.table,
  from: ACTIVITY_PARAM_SCHEMAS.from,
  to: ACTIVITY_PARAM_SCHEMAS.to,
  tz: z.string().refine((zone) => isTimeZone(zone), "use an IANA time zone name such as Europe/Berlin"),
};

/**
 * Each parameter once, and only the ones `shape` names; an empty value counts as left out.
 * Returns the parsed values or one issue per bad parameter, in query order.
 */
function parseStrict<S extends Record<string, z.ZodType>>(
  query: URLSearchParams,
  shape: S,
  required: (keyof S & string)[],
): Parsed<{ [K in keyof S]?: z.output<S[K]> }> {
  const issues: ParamIssue[] = [];
  const values: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [param, raw] of query) {
    if (!Object.hasOwn(shape, param)) {
      issues.push({ param, message: `not a parameter of this export (it takes ${Object.keys(shape).join(", ")})` });
      continue;
    }
    if (seen.has(param)) {
      if (!issues.some((i) => i.param === param)) issues.push({ param, message: "give it once" });
      continue;
    }
    seen.add(param);
    const text = raw.trim();
    if (text === "") continue;
    const parsed = shape[param]!.safeParse(text);
    if (parsed.success) values[param] = parsed.data;
    else issues.push({ param, message: parsed.error.issues[0]?.message ?? "not a valid value" });
  }
  for (const param of required) {
    if (!seen.has(param) || (values[param] === undefined && !issues.some((i) => i.param === param))) {
      issues.push({ param, message: "required" });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: values as { [K in keyof S]?: z.output<S[K]> } };
}

/** `/activity/export`: the activity log's filters (not its page cursor), the zone its days are read in, and the common ones. */
export function parseActivityExport(query: URLSearchParams): Parsed<ActivityExportParams> {
  const parsed = parseStrict(query, activityShape, ["format"]);
  if (!parsed.ok) return parsed;
  const { format, until, manifest, tz, actor, q, table, from, to } = parsed.value;
  if (from && to && from > to) return { ok: false, issues: [{ param: "from", message: `${from} is after to (${to}); swap them` }] };
  return { ok: true, value: { format: format!, until, manifest: manifest ?? false, tz, filters: { actor, q, table, from, to } } };
}

/** `/t/<table>/<id>/history/export`: the common parameters only. */
export function parseHistoryExport(query: URLSearchParams): Parsed<HistoryExportParams> {
  const parsed = parseStrict(query, common, ["format"]);
  if (!parsed.ok) return parsed;
  const { format, until, manifest } = parsed.value;
  return { ok: true, value: { format: format!, until, manifest: manifest ?? false } };
}

/** The 400 message: every issue, and what to do about it. */
export function issuesMessage(issues: ParamIssue[]): string {
  return `Fix the query and try again: ${issues.map((i) => `${i.param}: ${i.message}`).join("; ")}.`;
}
