import { connection } from "next/server";
import { ActivityTable } from "@/components/activity/activity-table";
import { ChangesCard } from "@/components/overview/changes-card";
import { TablesCard } from "@/components/overview/tables-card";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Empty } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { parseRange, rangeMoments } from "@/lib/admin/chart-data";
import { countRecords } from "@/lib/admin/queries";
import { adminTables } from "@/lib/admin/registry";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { listActivities, ticksPerDay } from "@temporal-records/drizzle";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const [query, timeZone] = await Promise.all([searchParams, viewerTimeZone()]);
  const range = parseRange(query.range);
  const { fromDay, today, from, to } = rangeMoments(range, timeZone);
  const tables = adminTables();
  const [counts, ticks, latest] = await readDatabase((db) =>
    Promise.all([countRecords(db, tables), ticksPerDay(db, { from, to, timeZone }), listActivities(db, { limit: 10 })]),
  );
  return (
    <>
      <PageHeader title="Overview" description="Every temporal table, how much it changed, and the latest activity." />
      <div className="grid grid-cols-1 items-start gap-4 xl:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <TablesCard tables={tables} counts={counts} />
        <ChangesCard ticks={ticks} range={range} fromDay={fromDay} today={today} timeZone={timeZone} />
        <Card
          id="latest"
          title="Latest activity"
          className="xl:col-span-2"
          actions={
            <ButtonLink href="/activity" size="sm" variant="ghost">
              Full activity log →
            </ButtonLink>
          }
        >
          {latest.items.length > 0 ? (
            <ActivityTable items={latest.items} timeZone={timeZone} caption="The 10 latest activities, newest first" />
          ) : (
            <Empty title="No activity yet">Changes made in the tables appear here, with who made them and why.</Empty>
          )}
        </Card>
      </div>
    </>
  );
}
