import type { Metadata } from "next";
import { connection } from "next/server";
import { ActivityFilters } from "@/components/activity/activity-filters";
import { ActivityTable } from "@/components/activity/activity-table";
import { ExportLinks } from "@/components/export/export-links";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Empty } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { CopyLink } from "@/components/ui/copy-link";
import { CursorPagination } from "@/components/ui/cursor-pagination";
import { readDatabase } from "@/db/client";
import { activityFilter, activityHref, parseActivityParams, type SearchParams } from "@/lib/admin/activity-params";
import { activityExportHref } from "@/lib/admin/export/links";
import { adminTables } from "@/lib/admin/registry";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { listActivities, listActors } from "@temporal-records/drizzle";

export const metadata: Metadata = { title: "Activity log" };

const PAGE_SIZE = 50;

export default async function ActivityLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await connection();
  const [raw, timeZone] = await Promise.all([searchParams, viewerTimeZone()]);
  const { params, problems } = parseActivityParams(raw);
  const [actors, page] = await readDatabase((db) =>
    Promise.all([listActors(db), listActivities(db, activityFilter(params, timeZone, PAGE_SIZE))]),
  );
  const filtered = Boolean(params.actor || params.q || params.table || params.from || params.to);
  return (
    <>
      <PageHeader
        title="Activity log"
        description="Every change set, newest first: who made it, why, and which records it touched."
        actions={
          <>
            <CopyLink label={filtered ? "Copy link to these filters" : "Copy link"} />
            <ExportLinks csv={activityExportHref(params, "csv", timeZone)} json={activityExportHref(params, "json", timeZone)} />
          </>
        }
      />
      {problems.length > 0 ? (
        <Alert tone="warn" title="Some filters were not applied" className="mb-4">
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Card>
        <ActivityFilters
          // Keyed by the filters, so a link that changes them (Clear) resets the inputs.
          key={activityHref({ ...params, cursor: undefined })}
          params={params}
          actors={actors}
          tables={adminTables().map(({ slug, label }) => ({ slug, label }))}
          timeZone={timeZone}
        />
        {page.items.length > 0 ? (
          <>
            <ActivityTable
              items={page.items}
              timeZone={timeZone}
              caption={filtered ? "Activities matching the filters, newest first" : "All activities, newest first"}
            />
            <CursorPagination
              label="Activity log pages"
              noun={["activity", "activities"]}
              shown={page.items.length}
              first={!params.cursor}
              newest={activityHref({ ...params, cursor: undefined })}
              older={page.nextCursor ? activityHref({ ...params, cursor: page.nextCursor }) : null}
            />
          </>
        ) : (
          <Empty title={params.cursor ? "No older activity" : filtered ? "No activity matches these filters" : "No activity yet"}>
            {filtered || params.cursor ? (
              <ButtonLink href="/activity" size="sm" className="mt-2">
                Show all activity
              </ButtonLink>
            ) : (
              "Changes made in the tables appear here, with who made them and why."
            )}
          </Empty>
        )}
      </Card>
    </>
  );
}
