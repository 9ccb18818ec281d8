import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { PropertyLanes } from "@/components/history/property-lanes";
import { BlameChip } from "@/components/record/blame-chip";
import { ChangedSince, ChangesUpTo, HistoryBanner, ValuesAt } from "@/components/record/record-at-view";
import { TimeControl } from "@/components/record/time-control";
import { Alert } from "@/components/ui/alert";
import { EditRecord } from "@/components/record/edit-record";
import { RetireButton } from "@/components/record/retire-button";
import { TickFeed } from "@/components/record/tick-feed";
import { Value } from "@/components/record/value";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { RecordBreadcrumb } from "@/components/record/record-breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { editableFields } from "@/lib/admin/form";
import { referenceOptions } from "@/lib/admin/queries";
import { formatMoment } from "@/lib/admin/format";
import { parseRecordPoint } from "@/lib/admin/point";
import { labelsFor, loadRecord, recordTitle } from "@/lib/admin/record";
import { loadTimelines } from "@/lib/admin/lanes";
import { loadRecordAt } from "@/lib/admin/record-at";
import { tickRevertLinks } from "@/lib/admin/revert";
import type { AdminTable } from "@/lib/admin/registry";
import type { Row } from "@/lib/admin/types";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can, ROLE_LABELS } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { ACTIVITY_LIMITS, blame, timeline, type Point } from "@temporal-records/drizzle";

type Params = { params: Promise<{ table: string; id: string }> };
type Props = Params & { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  return { title: found ? `${recordTitle(found.admin, found.row)} · ${found.admin.singular}` : "Not found" };
}

export default async function RecordPage({ params, searchParams }: Props) {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  if (!found) notFound();
  const { admin, key, row } = found;
  const requested = parseRecordPoint(await searchParams);
  if (requested.point) {
    return (
      <RecordThen
        admin={admin}
        id={id}
        keyValues={key}
        row={row}
        point={requested.point}
        moment={requested.moment}
        problem={requested.problem}
      />
    );
  }
  const fields = editableFields(admin);
  const user = await requireUser();
  const mayEdit = can(user.role, admin.manageRole);
  const [{ blames, ticks, links, options }, timeZone, timelines] = await Promise.all([
    readDatabase(async (db) => {
      const ticks = await timeline(db, admin.table, key, { limit: 10 });
      return {
        blames: await blame(db, admin.table, key),
        ticks,
        links: await tickRevertLinks(db, ticks.items),
        options: Object.fromEntries(
          await Promise.all(
            fields.filter((f) => f.kind === "reference").map(async (f) => [f.prop, await referenceOptions(db, f)] as const),
          ),
        ),
      };
    }),
    viewerTimeZone(),
    loadTimelines(admin, key),
  ]);
  const labels = await labelsFor(
    admin,
    row,
    ticks.items.flatMap((t) => t.changes),
  );
  const base = `/t/${admin.slug}/${id}`;
  const retired = row.retired === true;
  const vclock = Number(row.vclock);
  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href={`/t/${admin.slug}`} className="hover:underline">
              {admin.label}
            </Link>{" "}
            / {recordTitle(admin, row)}
          </>
        }
        title={
          <span className="inline-flex items-center gap-2">
            {recordTitle(admin, row)}
            <Badge tone="accent">version {vclock}</Badge>
            {retired ? <Badge tone="danger">Retired</Badge> : null}
          </span>
        }
        description={`${admin.singular} ${admin.key.map((k) => `${k.label} ${String(row[k.prop])}`).join(", ")}`}
        actions={
          <>
            <ButtonLink href={`${base}/history`}>Full history</ButtonLink>
            {mayEdit ? (
              <RetireButton
                key={vclock}
                table={admin.slug}
                id={id}
                vclock={vclock}
                retired={retired}
                singular={admin.singular}
                reasonMax={ACTIVITY_LIMITS.reason}
              />
            ) : null}
          </>
        }
      />
      {requested.problem ? <Alert tone="warn" title={requested.problem} className="mb-4" /> : null}
      <div className="grid gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-5">
          <Card title="Travel in time" id="time">
            <TimeControl key={vclock} latest={vclock} shown={vclock} moment={null} timeZone={timeZone} />
          </Card>
          <Card title="Current values" id="values">
            <dl className="divide-y divide-line">
              {admin.fields
                .filter((f) => f.prop !== "vclock" && f.prop !== "retired")
                .map((field) => {
                  const who = blames.find((b) => b.property === field.prop);
                  return (
                    <div
                      key={field.prop}
                      className="grid gap-1 px-4 py-2 sm:grid-cols-[9rem_minmax(0,1fr)_minmax(0,17rem)] sm:items-center sm:gap-3"
                    >
                      <dt className="text-xs font-medium text-muted">{field.label}</dt>
                      <dd className="min-w-0 text-sm break-words" data-testid={`value-${field.prop}`}>
                        <Value field={field} value={row[field.prop]} labels={labels} timeZone={timeZone} />
                      </dd>
                      <dd className="min-w-0">
                        {who ? (
                          <BlameChip
                            blame={who}
                            timeZone={timeZone}
                            id={`blame-${field.prop}`}
                            href={`${base}/history?property=${field.prop}`}
                          />
                        ) : field.tracked ? null : (
                          <span className="text-xs text-faint">not tracked</span>
                        )}
                      </dd>
                    </div>
                  );
                })}
            </dl>
          </Card>
          {!mayEdit ? (
            <p className="rounded-md border border-line bg-panel px-4 py-3 text-sm text-muted">
              You can read this record; changing it needs the {ROLE_LABELS[admin.manageRole]} role. You are signed in as{" "}
              {ROLE_LABELS[user.role]}.
            </p>
          ) : retired ? null : (
            <EditRecord
              table={admin.slug}
              id={id}
              vclock={vclock}
              fields={fields}
              values={row}
              options={options}
              timeZone={timeZone}
              reasonMax={ACTIVITY_LIMITS.reason}
            />
          )}
        </div>
        <Card
          title="Latest changes"
          id="changes"
          actions={
            <Link href={`${base}/history`} className="text-xs font-medium text-accent hover:underline">
              Full history →
            </Link>
          }
        >
          <TickFeed
            admin={admin}
            ticks={ticks.items}
            labels={labels}
            timeZone={timeZone}
            recordPath={base}
            latest={vclock}
            mayRevert={mayEdit && !retired}
            links={links}
          />
        </Card>
      </div>
      <Card title="Timelines" id="timelines" className="mt-5">
        <PropertyLanes timelines={timelines} recordPath={base} timeZone={timeZone} />
      </Card>
    </>
  );
}

/** The record as it was at a version or a moment: read-only, with who set each value and what changed since. */
async function RecordThen({
  admin,
  id,
  keyValues,
  row,
  point,
  moment,
  problem,
}: {
  admin: AdminTable;
  id: string;
  keyValues: Record<string, unknown>;
  row: Row;
  point: Point;
  moment: Date | null;
  problem: string | null;
}) {
  const [at, timeZone] = await Promise.all([loadRecordAt(admin, keyValues, row, point), viewerTimeZone()]);
  const base = `/t/${admin.slug}/${id}`;
  const latest = Number(row.vclock);
  const title = recordTitle(admin, row);
  const permalink = moment
    ? `${base}?asOf=${encodeURIComponent(moment.toISOString())}`
    : `${base}?version=${at.state === "found" ? at.vclock : ""}`;
  return (
    <>
      <PageHeader
        breadcrumb={<RecordBreadcrumb slug={admin.slug} label={admin.label} title={title} recordPath={base} here="history" />}
        title={
          <span className="inline-flex items-center gap-2">
            {title}
            {at.state === "found" ? <Badge tone="warn">version {at.vclock} (history)</Badge> : null}
            {at.state === "found" && at.retired ? <Badge tone="danger">Retired then</Badge> : null}
          </span>
        }
        description={`${admin.singular} ${admin.key.map((k) => `${k.label} ${String(row[k.prop])}`).join(", ")}`}
        actions={<ButtonLink href={`${base}/history`}>Full history</ButtonLink>}
      />
      {problem ? <Alert tone="warn" title={problem} className="mb-4" /> : null}
      {at.state === "not-yet" ? (
        <Card title="Did not exist yet" id="values">
          <div className="space-y-2 px-4 py-3 text-sm" data-testid="not-yet">
            <p>
              This {admin.singular.toLowerCase()} did not exist yet on {formatMoment(moment!, timeZone)}. It was created on{" "}
              {formatMoment(at.created.timestamp, timeZone)}.
            </p>
            <p className="flex flex-wrap gap-2">
              <ButtonLink size="sm" href={`${base}?version=1`}>
                See version 1
              </ButtonLink>
              <ButtonLink size="sm" href={base}>
                Back to now
              </ButtonLink>
            </p>
          </div>
        </Card>
      ) : at.state === "no-such-version" ? (
        <Card title="No such version" id="values">
          <div className="space-y-2 px-4 py-3 text-sm" data-testid="no-such-version">
            <p>
              This {admin.singular.toLowerCase()} has no version {"vclock" in point ? point.vclock : ""}: its latest is version {at.latest}.
            </p>
            <ButtonLink size="sm" href={base}>
              Back to now
            </ButtonLink>
          </div>
        </Card>
      ) : (
        <div className="space-y-5">
          <HistoryBanner at={at} latest={latest} base={base} permalink={permalink} moment={moment} timeZone={timeZone} />
          <div className="grid gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <div className="space-y-5">
              <Card title="Travel in time" id="time">
                <TimeControl
                  key={`${at.vclock} ${moment?.toISOString() ?? ""}`}
                  latest={latest}
                  shown={at.vclock}
                  moment={moment?.toISOString() ?? null}
                  timeZone={timeZone}
                />
              </Card>
              <ValuesAt admin={admin} at={at} base={base} timeZone={timeZone} />
              <ChangedSince admin={admin} at={at} latest={latest} base={base} timeZone={timeZone} />
            </div>
            <ChangesUpTo admin={admin} at={at} base={base} latest={latest} timeZone={timeZone} />
          </div>
        </div>
      )}
    </>
  );
}
