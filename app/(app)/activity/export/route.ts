import type { NextRequest } from "next/server";
import { activityExportPlan } from "@/lib/admin/export/activity";
import { parseActivityExport } from "@/lib/admin/export/params";
import { serveExport } from "@/lib/admin/export/serve";
import { viewerTimeZone } from "@/lib/admin/time-zone";

/**
 * The activity log as a file: `?format=csv|json` with the log's filters (actor, q, table,
 * from, to), `tz` for the zone its days are read in, `until` for the bound, `manifest=1`
 * for the manifest. See lib/admin/export/.
 */
export async function GET(request: NextRequest): Promise<Response> {
  return serveExport(async (db) => {
    const parsed = parseActivityExport(request.nextUrl.searchParams);
    if (!parsed.ok) return { ok: false, status: 400, issues: parsed.issues };
    return { ok: true, manifest: parsed.value.manifest, plan: activityExportPlan(db, parsed.value, await viewerTimeZone()) };
  });
}
