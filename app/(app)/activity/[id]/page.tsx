import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { ChangesetHeader } from "@/components/activity/changeset-header";
import { ChangesetTable } from "@/components/activity/changeset-table";
import { CopyLink } from "@/components/ui/copy-link";
import { PageLinks } from "@/components/activity/page-links";
import { RevertActivityLinks } from "@/components/activity/revert-activity-links";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Empty } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { CHANGES_PER_PAGE, loadChangeset } from "@/lib/admin/changeset";
import { activityRevertLinks } from "@/lib/admin/revert";
import { roleFor } from "@/lib/admin/revert-activity";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const ID = /^[0-9]{1,18}$/;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: ID.test(id) ? `Change set #${id}` : "Change set" };
}

/** `?page=`: a whole number from 1; anything else shows the first page (past the end shows the last). */
const pageSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1);
const pageNumber = (value: string | string[] | undefined) => pageSchema.parse(Array.isArray(value) ? value[0] : value);

export default async function ChangesetPage({ params, searchParams }: Props) {
  await connection();
  const [{ id }, query, timeZone, user] = await Promise.all([params, searchParams, viewerTimeZone(), requireUser()]);
  if (!ID.test(id)) notFound();
  const data = await readDatabase(async (db) => {
    const changes = await loadChangeset(db, id, pageNumber(query.page));
    return changes && { ...changes, links: await activityRevertLinks(db, changes.activity) };
  });
  if (!data) notFound();
  const { activity, totalChanges, page, pages, first, tables, links } = data;
  const mayUndo = totalChanges > 0 && can(user.role, roleFor(activity));
  const path = `/activity/${activity.id}`;
  const href = (n: number) => (n === 1 ? path : `${path}?page=${n}`);
  const shownTo = first + tables.reduce((sum, t) => sum + t.records.reduce((s, r) => s + r.entries.length, 0), 0);
  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href="/activity" className="hover:text-accent hover:underline">
              Activity log
            </Link>
            <span aria-hidden="true"> / </span>
            <span aria-current="page">#{activity.id}</span>
          </>
        }
        title={`Change set #${activity.id}`}
        description="Everything one activity changed, record by record, before → after."
        actions={
          <>
            {mayUndo ? <ButtonLink href={`${path}/undo`}>Undo this activity…</ButtonLink> : null}
            <CopyLink path={path} />
            <Link href={path} className="text-sm text-accent hover:underline" title="The permanent address of this change set">
              Permalink
            </Link>
          </>
        }
      />
      <div className="space-y-4">
        <ChangesetHeader activity={activity} timeZone={timeZone} />
        <RevertActivityLinks links={links} />
        {totalChanges === 0 ? (
          <Card>
            <Empty title="This activity changed no records">It was recorded, but no tracked property changed.</Empty>
          </Card>
        ) : (
          <>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm text-muted" aria-live="polite">
                {pages > 1
                  ? `Showing changes ${(first + 1).toLocaleString("en-US")}–${shownTo.toLocaleString("en-US")} of ${totalChanges.toLocaleString("en-US")}, grouped by table and record.`
                  : `${totalChanges.toLocaleString("en-US")} ${totalChanges === 1 ? "change" : "changes"}, grouped by table and record.`}
              </p>
              <PageLinks page={page} pages={pages} href={href} label="Change set pages (top)" />
            </div>
            {pages > 1 && page === 1 ? (
              <Alert>
                A large change set: {CHANGES_PER_PAGE} changes per page, so it stays quick to open. Use the page links to see the rest.
              </Alert>
            ) : null}
            {tables.map((t) => (
              <ChangesetTable key={t.admin.slug} changes={t} timeZone={timeZone} />
            ))}
            <div className="flex justify-end">
              <PageLinks page={page} pages={pages} href={href} label="Change set pages (bottom)" />
            </div>
          </>
        )}
      </div>
    </>
  );
}
