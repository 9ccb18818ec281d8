import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { ExportLinks } from "@/components/export/export-links";
import { PropertyLane } from "@/components/history/property-lanes";
import { ComparePicker } from "@/components/record/compare-picker";
import { TickFeed } from "@/components/record/tick-feed";
import { Alert } from "@/components/ui/alert";
import { Input } from "@/components/ui/input";
import { Value } from "@/components/record/value";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { RecordBreadcrumb } from "@/components/record/record-breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, td, th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { readDatabase } from "@/db/client";
import { historyExportHref } from "@/lib/admin/export/links";
import { formatMoment } from "@/lib/admin/format";
import { loadTimelines } from "@/lib/admin/lanes";
import { parseInstant } from "@/lib/admin/point";
import { labelsFor, loadRecord, recordTitle } from "@/lib/admin/record";
import { tickRevertLinks } from "@/lib/admin/revert";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { history, timeline } from "@temporal-records/drizzle";

type Props = { params: Promise<{ table: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const querySchema = z.object({
  property: z.string().max(100).optional(),
  cursor: z.coerce.number().int().min(1).optional().catch(undefined),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
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
        <RecordBreadcrumb slug={admin.slug} label={admin.label} title={recordTitle(admin, row)} recordPath={base} here="history" />
      }
      title={field ? `${field.label}: every value` : `History of ${recordTitle(admin, row)}`}
      description={
        field ? "Newest first, with who set each value, when and why." : "Every change, newest first: when, who, why, and what changed."
      }
      actions={
        <>
          {field ? null : <ExportLinks csv={historyExportHref(admin.slug, id, "csv")} json={historyExportHref(admin.slug, id, "json")} />}
          <ButtonLink href={base}>Back to record</ButtonLink>
        </>
      }
    />
  );
  const older = (cursor: number | null, search: Record<string, string> = field ? { property: field.prop } : {}) =>
    cursor ? (
      <div className="border-t border-line px-4 py-2 text-right">
        <Link
          className="text-sm font-medium text-accent hover:underline"
          href={`${base}/history?${new URLSearchParams({ ...search, cursor: String(cursor) })}`}
        >
          Older →
        </Link>
      </div>
    ) : null;

  if (field) {
    const window = parseWindow(query.from, query.to);
    const [page, timelines] = await Promise.all([
      readDatabase((db) =>
        history(db, admin.table, key, field.prop as never, { limit: 50, cursor: query.cursor ?? null, from: window.from, to: window.to }),
      ),
      loadTimelines(admin, key, { from: window.from, to: window.to, properties: [field.prop], slots: 200 }),
    ]);
    const lane = timelines.lanes[0]!;
    const labels = await labelsFor(
      admin,
      row,
      page.items.map((h) => ({ property: field.prop, before: undefined, after: h.value })),
    );
    const windowSearch = (extra: Record<string, string>) =>
      new URLSearchParams({
        property: field.prop,
        ...(window.fromParam ? { from: window.fromParam } : {}),
        ...(window.toParam ? { to: window.toParam } : {}),
        ...extra,
      });
    return (
      <>
        {header}
        {window.problems.map((problem) => (
          <Alert key={problem} tone="warn" title={problem} className="mb-3" />
        ))}
        <Card title="Over time" id="over-time" className="mb-4">
          <form method="get" action={`${base}/history`} className="flex flex-wrap items-end gap-3 border-b border-line px-4 py-3">
            <input type="hidden" name="property" value={field.prop} />
            <div>
              <label htmlFor="window-from" className="block text-xs font-medium text-muted">
                From
              </label>
              <Input
                id="window-from"
                name="from"
                defaultValue={window.fromParam ?? ""}
                placeholder="2025-01-01"
                className="mt-1 w-56"
                aria-describedby="window-hint"
              />
            </div>
            <div>
              <label htmlFor="window-to" className="block text-xs font-medium text-muted">
                To
              </label>
              <Input
                id="window-to"
                name="to"
                defaultValue={window.toParam ?? ""}
                placeholder="2026-01-01"
                className="mt-1 w-56"
                aria-describedby="window-hint"
              />
            </div>
            <ButtonLink size="sm" href={`${base}/history?property=${field.prop}`} variant="ghost">
              Whole history
            </ButtonLink>
            <button
              type="submit"
              className="inline-flex h-7 items-center rounded-md bg-accent px-2.5 text-xs font-medium text-white hover:bg-indigo-800"
            >
              Show window
            </button>
            <p id="window-hint" className="w-full text-xs text-muted">
              A day such as 2025-01-01 or an ISO 8601 moment with its zone; either end may be left open.
            </p>
          </form>
          <div className="px-4 py-3">
            {lane.reduced ? (
              <p className="mb-2 text-xs text-muted" data-testid="lanes-reduced">
                {lane.values} values in this window, more than the width can show: a striped band stands for several changes and shows the
                last. The table below lists every value.
              </p>
            ) : null}
            <PropertyLane lane={lane} timelines={timelines} recordPath={base} timeZone={timeZone} />
          </div>
        </Card>
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
          {older(page.nextCursor, Object.fromEntries(windowSearch({})))}
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

/** The property history's date window: each end a day or an ISO instant, or open. */
function parseWindow(fromText: string | undefined, toText: string | undefined) {
  const problems: string[] = [];
  const end = (name: string, text: string | undefined) => {
    if (!text?.trim()) return undefined;
    const parsed = parseInstant(text);
    if (parsed.ok) return parsed.at;
    problems.push(`Ignored ${name}: ${parsed.message}.`);
    return undefined;
  };
  let from = end("From", fromText);
  let to = end("To", toText);
  if (from && to && from.getTime() >= to.getTime()) {
    problems.push("From is not before To, so the window was ignored. Swap them to see that window.");
    from = undefined;
    to = undefined;
  }
  return { from, to, fromParam: from ? fromText!.trim() : undefined, toParam: to ? toText!.trim() : undefined, problems };
}
