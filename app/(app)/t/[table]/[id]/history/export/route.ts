import type { NextRequest } from "next/server";
import { historyExportPlan } from "@/lib/admin/export/history";
import { parseHistoryExport } from "@/lib/admin/export/params";
import { serveExport } from "@/lib/admin/export/serve";
import { loadRecord } from "@/lib/admin/record";

/**
 * A record's history as a file: every tick with its changes, activity, reason, actor and time.
 * `?format=csv|json`, `until` for the bound, `manifest=1` for the manifest. See lib/admin/export/.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ table: string; id: string }> }): Promise<Response> {
  return serveExport(async (db) => {
    const parsed = parseHistoryExport(request.nextUrl.searchParams);
    if (!parsed.ok) return { ok: false, status: 400, issues: parsed.issues };
    const { table, id } = await params;
    const found = await loadRecord(table, id);
    if (!found) return { ok: false, status: 404, message: `There is no record ${id} in ${table}. Check the table and the id in the URL.` };
    return { ok: true, manifest: parsed.value.manifest, plan: historyExportPlan(db, found, parsed.value) };
  });
}
