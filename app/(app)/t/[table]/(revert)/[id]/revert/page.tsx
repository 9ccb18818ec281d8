import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { RevertRecordForm } from "@/components/record/revert-record-form";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { RecordBreadcrumb } from "@/components/record/record-breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { parseRevertTo } from "@/lib/admin/point";
import { loadRecord, recordTitle } from "@/lib/admin/record";
import { loadRecordRevert } from "@/lib/admin/revert";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { ACTIVITY_LIMITS } from "@temporal-records/drizzle";
import { requireUser } from "@/lib/auth/session";
import { revertRecord } from "./actions";

type Props = { params: Promise<{ table: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Revert to a version" };

/** The preview of reverting a record to an earlier version: each property now and then, chosen one by one, and a reason. */
export default async function RevertRecordPage({ params, searchParams }: Props) {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  if (!found) notFound();
  const { admin, key, row } = found;
  await requireUser(admin.manageRole);
  const to = parseRevertTo(await searchParams);
  const title = recordTitle(admin, row);
  const base = `/t/${admin.slug}/${id}`;
  const [preview, timeZone] = await Promise.all([
    to.ok ? readDatabase((db) => loadRecordRevert(db, admin, key, row, title, to.version)) : null,
    viewerTimeZone(),
  ]);
  const latest = Number(row.vclock);
  return (
    <>
      <PageHeader
        breadcrumb={<RecordBreadcrumb slug={admin.slug} label={admin.label} title={title} recordPath={base} here="revert" />}
        title={to.ok ? `Revert ${title} to version ${to.version}` : `Revert ${title}`}
        description="The revert is saved as a new version with your reason; every earlier version stays in the history as it is."
        actions={
          <>
            {to.ok && to.version < latest ? (
              <ButtonLink href={`${base}/compare?from=${to.version}&to=${latest}`}>Compare v{to.version} with now</ButtonLink>
            ) : null}
            <ButtonLink href={`${base}/history`}>Back to history</ButtonLink>
          </>
        }
      />
      {!to.ok ? (
        <Alert tone="warn" title={to.message} />
      ) : preview?.state === "is-current" ? (
        <Alert tone="warn" title={`Version ${to.version} is the current version: there is nothing to revert.`} />
      ) : preview?.state === "no-such-version" ? (
        <Alert tone="warn" title={`This ${admin.singular.toLowerCase()} has no version ${to.version}: its latest is version ${latest}.`} />
      ) : preview?.state === "ready" && preview.retiredNow ? (
        <Alert tone="warn" title={`This ${admin.singular.toLowerCase()} is retired: restore it on its page before reverting its values.`} />
      ) : preview?.state === "ready" ? (
        <RevertRecordForm
          action={revertRecord.bind(null, { table: admin.slug, id })}
          fields={preview.fields}
          labels={preview.labels}
          toVclock={preview.toVclock}
          latest={preview.latest}
          defaultReason={preview.defaultReason}
          reasonMax={ACTIVITY_LIMITS.reason}
          historyHref={`${base}/history`}
          timeZone={timeZone}
        />
      ) : null}
    </>
  );
}
