import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { ComparePicker } from "@/components/record/compare-picker";
import { TickFeed } from "@/components/record/tick-feed";
import { Value } from "@/components/record/value";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, td, th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { readDatabase } from "@/db/client";
import { formatMoment } from "@/lib/admin/format";
import { labelsFor, loadRecord, recordTitle } from "@/lib/admin/record";
import { tickRevertLinks } from "@/lib/admin/revert";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { history, timeline } from "@/lib/temporal";

type Props = { params: Promise<{ table: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const querySchema = z.object({
  property: z.string().max(100).optional(),
  cursor: z.coerce.number().int().min(1).optional().catch(undefined),
});

export const metadata: Metadata = { title: "History" };

/** Every tick of a record, or every value one property has held. */
export default async function HistoryPage({ params, searchParams }: Props) {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  if (!found) notFound();
  const { admin, key, row } = found;
  const query = querySchema.parse(await searchParams);
  const field = query.property ? admin.fields.find((f) => f.prop === query.property && (f.tracked || f.prop === "retired")) : undefined;
  if (query.property && !field) notFound();
  const timeZone = await viewerTimeZone();
  const base = `/t/${admin.slug}/${id}`;
  const latest = Number(row.vclock);
  const header = (
    <PageHeader
      breadcrumb={
        <>
          <Link href={`/t/${admin.slug}`} className="hover:underline">
            {admin.label}
          </Link>{" "}
          /{" "}
          <Link href={base} className="hover:underline">
            {recordTitle(admin, row)}
          </Link>{" "}
          / history
        </>
      }
      title={field ? `${field.label}: every value` : `History of ${recordTitle(admin, row)}`}
      description={
        field ? "Newest first, with who set each value, when and why." : "Every change, newest first: when, who, why, and what changed."
      }
      actions={<ButtonLink href={base}>Back to record</ButtonLink>}
    />
  );
  const older = (cursor: number | null) =>
    cursor ? (
      <div className="border-t border-line px-4 py-2 text-right">
        <Link
          className="text-sm font-medium text-accent hover:underline"
          href={`${base}/history?${new URLSearchParams({ ...(field ? { property: field.prop } : {}), cursor: String(cursor) })}`}
        >
          Older →
        </Link>
      </div>
    ) : null;

  if (field) {
    const page = await readDatabase((db) =>
      history(db, admin.table, key, field.prop as never, { limit: 50, cursor: query.cursor ?? null }),
    );
    const labels = await labelsFor(
      admin,
      row,
      page.items.map((h) => ({ property: field.prop, before: undefined, after: h.value })),
    );
    return (
      <>
        {header}
        <Card>
          <DataTable>
            <thead>
              <tr>
                <th className={th}>Value</th>
                <th className={th}>Versions</th>
                <th className={th}>From</th>
                <th className={th}>Until</th>
                <th className={th}>Set by</th>
                <th className={th}>Reason</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((h) => (
                <tr key={h.vclock.from}>
                  <td className={td}>
                    <Value field={field} value={h.value} labels={labels} timeZone={timeZone} />
                    {h.vclock.to === null ? (
                      <Badge tone="ok" className="ml-2">
                        current
                      </Badge>
                    ) : null}
                    {h.trackingStarted ? (
                      <Badge tone="warn" className="ml-2">
                        tracking started
                      </Badge>
                    ) : null}
                  </td>
                  <td className={td}>
                    <Link href={`${base}?version=${h.vclock.from}`} className="text-accent underline hover:no-underline">
                      v{h.vclock.from}
                    </Link>
                    {h.vclock.to === null ? "+" : h.vclock.to - 1 > h.vclock.from ? `–${h.vclock.to - 1}` : ""}
                  </td>
                  <td className={td}>
                    <Time value={h.effective.from}>{formatMoment(h.effective.from, timeZone)}</Time>
                  </td>
                  <td className={td}>
                    {h.effective.to ? (
                      <Time value={h.effective.to}>{formatMoment(h.effective.to, timeZone)}</Time>
                    ) : (
                      <span className="text-faint">now</span>
                    )}
                  </td>
                  <td className={td}>{h.activity?.actorName ?? h.activity?.actor}</td>
                  <td className={td}>
                    {h.activity ? (
                      <Link href={`/activity/${h.activity.id}`} className="hover:text-accent hover:underline">
                        {h.activity.reason}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          {older(page.nextCursor)}
        </Card>
      </>
    );
  }

  const [{ page, links }, user] = await Promise.all([
    readDatabase(async (db) => {
      const ticks = await timeline(db, admin.table, key, { limit: 50, cursor: query.cursor ?? null });
      return { page: ticks, links: await tickRevertLinks(db, ticks.items) };
    }),
    requireUser(),
  ]);
  const labels = await labelsFor(
    admin,
    row,
    page.items.flatMap((t) => t.changes),
  );
  return (
    <>
      {header}
      <p className="mb-3 flex flex-wrap gap-2 text-sm text-muted">
        One property:
        {admin.fields
          .filter((f) => f.tracked)
          .map((f) => (
            <Link key={f.prop} href={`${base}/history?property=${f.prop}`} className="text-accent hover:underline">
              {f.label}
            </Link>
          ))}
      </p>
      {latest > 1 ? (
        <Card title="Compare two versions" id="pick" className="mb-4">
          <ComparePicker path={`${base}/compare`} from={String(latest - 1)} to={String(latest)} view="side" all={false} latest={latest} />
        </Card>
      ) : null}
      <Card>
        <TickFeed
          admin={admin}
          ticks={page.items}
          labels={labels}
          timeZone={timeZone}
          recordPath={base}
          latest={latest}
          mayRevert={can(user.role, admin.manageRole) && row.retired !== true}
          links={links}
        />
        {older(page.nextCursor)}
      </Card>
    </>
  );
}
