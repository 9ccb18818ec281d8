import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { BlameChip } from "@/components/record/blame-chip";
import { EditRecord } from "@/components/record/edit-record";
import { RetireButton } from "@/components/record/retire-button";
import { TickFeed } from "@/components/record/tick-feed";
import { Value } from "@/components/record/value";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { editableFields } from "@/lib/admin/form";
import { referenceOptions } from "@/lib/admin/queries";
import { labelsFor, loadRecord, recordTitle } from "@/lib/admin/record";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can, ROLE_LABELS } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { blame, timeline } from "@/lib/temporal";

type Params = { params: Promise<{ table: string; id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  return { title: found ? `${recordTitle(found.admin, found.row)} · ${found.admin.singular}` : "Not found" };
}

export default async function RecordPage({ params }: Params) {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  if (!found) notFound();
  const { admin, key, row } = found;
  const fields = editableFields(admin);
  const user = await requireUser();
  const mayEdit = can(user.role, admin.manageRole);
  const [{ blames, ticks, options }, timeZone] = await Promise.all([
    readDatabase(async (db) => ({
      blames: await blame(db, admin.table, key),
      ticks: await timeline(db, admin.table, key, { limit: 10 }),
      options: Object.fromEntries(
        await Promise.all(fields.filter((f) => f.kind === "reference").map(async (f) => [f.prop, await referenceOptions(db, f)] as const)),
      ),
    })),
    viewerTimeZone(),
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
              <RetireButton key={vclock} table={admin.slug} id={id} vclock={vclock} retired={retired} singular={admin.singular} />
            ) : null}
          </>
        }
      />
      <div className="grid gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-5">
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
            <EditRecord table={admin.slug} id={id} vclock={vclock} fields={fields} values={row} options={options} />
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
          <TickFeed admin={admin} ticks={ticks.items} labels={labels} timeZone={timeZone} />
        </Card>
      </div>
    </>
  );
}
