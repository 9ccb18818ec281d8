import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { connection } from "next/server";
import { ChangesetHeader } from "@/components/activity/changeset-header";
import { RevertActivityForm } from "@/components/activity/revert-activity-form";
import { RevertActivityPreview } from "@/components/activity/revert-activity-preview";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { adminTables } from "@/lib/admin/registry";
import { loadUndoPreview, UNDO_CONFLICTS_MAX } from "@/lib/admin/revert-activity";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { ACTIVITY_LIMITS } from "@temporal-records/drizzle";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { undoActivity } from "./actions";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: /^[0-9]{1,18}$/.test(id) ? `Undo activity #${id}` : "Undo an activity" };
}

/** The preview of undoing one activity: per record and property, what goes back, and a choice where a later change is in the way. */
export default async function UndoActivityPage({ params }: Props) {
  await connection();
  const [{ id }, user, timeZone] = await Promise.all([params, requireUser("editor"), viewerTimeZone()]);
  if (!/^[0-9]{1,18}$/.test(id)) notFound();
  const preview = await readDatabase((db) => loadUndoPreview(db, id));
  if (!preview) notFound();
  if (!can(user.role, preview.role)) forbidden();
  const path = `/activity/${id}`;
  const names = Object.fromEntries(
    adminTables().map((a) => [a.slug, { singular: a.singular, fields: Object.fromEntries(a.fields.map((f) => [f.prop, f.label])) }]),
  );
  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href="/activity" className="hover:text-accent hover:underline">
              Activity log
            </Link>
            <span aria-hidden="true"> / </span>
            <Link href={path} className="hover:text-accent hover:underline">
              #{id}
            </Link>
            <span aria-hidden="true"> / </span>
            <span aria-current="page">undo</span>
          </>
        }
        title={`Undo activity #${id}`}
        description="Sets back what this activity changed, as a new activity with your reason; later changes stay unless you choose otherwise. Nothing in the history is rewritten."
        actions={<ButtonLink href={path}>Back to the change set</ButtonLink>}
      />
      <div className="space-y-4">
        <ChangesetHeader activity={preview.activity} timeZone={timeZone} />
        {preview.recordCount === 0 ? (
          <Alert tone="info" title="This activity changed no records: there is nothing to undo." />
        ) : preview.conflictCount > UNDO_CONFLICTS_MAX ? (
          <Alert tone="warn" title={`Later activities changed ${preview.conflictCount.toLocaleString("en-US")} of the same properties.`}>
            That is too many to settle one by one here (at most {UNDO_CONFLICTS_MAX.toLocaleString("en-US")}). Undo the later activities
            first, or revert the records one at a time from their history.
          </Alert>
        ) : (
          <RevertActivityForm
            action={undoActivity.bind(null, id)}
            activityId={id}
            defaultReason={preview.defaultReason}
            reasonMax={ACTIVITY_LIMITS.reason}
            conflictCount={preview.conflictCount}
            names={names}
          >
            <p className="text-sm text-muted">
              {preview.recordCount.toLocaleString("en-US")} {preview.recordCount === 1 ? "record" : "records"} go back to their values
              before this activity.
            </p>
            <RevertActivityPreview tables={preview.tables} timeZone={timeZone} />
          </RevertActivityForm>
        )}
      </div>
    </>
  );
}
