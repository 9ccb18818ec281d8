/** Where the export buttons lead. Pure: pages build the links, components only render them. */
import type { ActivityParams } from "../activity-params";
import type { ExportFormat } from "./encode";

export const ACTIVITY_EXPORT_PATH = "/activity/export";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "json"];

/**
 * The activity log's export with the log's current filters (not its page: an export has
 * everything the filters match). With a From or To day it names the zone the log read it in.
 */
export function activityExportHref(params: ActivityParams, format: ExportFormat, timeZone: string): string {
  const query = new URLSearchParams({ format });
  for (const name of ["actor", "q", "table", "from", "to"] as const) if (params[name]) query.set(name, params[name]);
  if (params.from || params.to) query.set("tz", timeZone);
  return `${ACTIVITY_EXPORT_PATH}?${query.toString()}`;
}

/** A record's history export; `id` as the record's URL has it. */
export function historyExportHref(slug: string, id: string, format: ExportFormat): string {
  return `/t/${slug}/${id}/history/export?format=${format}`;
}
