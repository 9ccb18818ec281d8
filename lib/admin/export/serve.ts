/**
 * What every export route does, in order: the session and role (401, 403), then the query
 * (400, or 404 for a record that is not there), then the file or its manifest. Errors are
 * JSON `{ error, message, issues? }`, the message saying what to do.
 */
import "server-only";
import { readDatabase } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { requestAccess } from "@/lib/auth/session";
import type { TemporalDb } from "@temporal-records/drizzle";
import { issuesMessage, type ParamIssue } from "./params";
import { buildManifest, exportResponse, type ExportPlan } from "./plan";

export type Planned<T> =
  | { ok: true; plan: ExportPlan<T>; manifest: boolean }
  | { ok: false; status: 400; issues: ParamIssue[] }
  | { ok: false; status: 404; message: string };

const ERRORS = { 400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 503: "unavailable" } as const;

export function problem(status: keyof typeof ERRORS, message: string, issues?: ParamIssue[]): Response {
  return Response.json(
    { error: ERRORS[status], message, ...(issues ? { issues } : {}) },
    { status, headers: { "cache-control": "no-store" } },
  );
}

/**
 * Answers an export request: `plan` runs only for someone allowed (every role may export),
 * and gets the database. Nothing is read before the role is checked.
 *
 * @example
 * export const GET = (request: NextRequest) => serveExport((db) => planIt(db, request.nextUrl.searchParams));
 */
export async function serveExport<T>(plan: (db: TemporalDb) => Promise<Planned<T>>): Promise<Response> {
  try {
    const access = await requestAccess("auditor");
    if (access.status === "signed-out") return problem(401, access.message);
    if (access.status === "forbidden") return problem(403, access.message);
    // On the read replica when there is one (db/read-replica.ts): the batches stream from the database the plan got.
    const planned = await readDatabase(plan);
    if (!planned.ok)
      return planned.status === 400 ? problem(400, issuesMessage(planned.issues), planned.issues) : problem(404, planned.message);
    if (planned.manifest) return Response.json(await buildManifest(planned.plan), { headers: { "cache-control": "no-store" } });
    return exportResponse(planned.plan);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return problem(503, "The database is unavailable right now. Try again in a minute.");
    throw error;
  }
}
