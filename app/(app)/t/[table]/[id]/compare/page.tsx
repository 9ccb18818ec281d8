import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { CopyLink } from "@/components/ui/copy-link";
import { Change } from "@/components/history/change";
import { ValueDiffView } from "@/components/history/value-diff-view";
import { ComparePicker } from "@/components/record/compare-picker";
import { RevertToButton } from "@/components/record/revert-to-button";
import { TickFeed } from "@/components/record/tick-feed";
import { Value } from "@/components/record/value";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { RecordBreadcrumb } from "@/components/record/record-breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, td, th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { BETWEEN_LIMIT, compareRecord, type Side } from "@/lib/admin/compare";
import { parseCompareParams } from "@/lib/admin/compare-params";
import { formatMoment } from "@/lib/admin/format";
import { loadRecord, recordTitle } from "@/lib/admin/record";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

type Props = { params: Promise<{ table: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Compare versions" };

function SideLabel({ side, name, timeZone }: { side: Side; name: string; timeZone: string }) {
  if (!side) return <span className="text-muted">{name}: did not exist yet</span>;
  return (
    <span className="inline-flex flex-wrap items-baseline gap-1.5">
      <span className="font-semibold">
        {name}: v{side.vclock}
      </span>
      <Time value={side.timestamp} className="text-xs font-normal text-muted normal-case">
        {formatMoment(side.timestamp, timeZone)}
      </Time>
      {side.retired ? <Badge tone="danger">retired</Badge> : null}
    </span>
  );
}

/** Any two versions or moments of a record, field by field, and the activities in between. */
export default async function ComparePage({ params, searchParams }: Props) {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  if (!found) notFound();
  const { admin, key, row } = found;
  const latest = Number(row.vclock);
  const query = parseCompareParams(await searchParams, latest);
  const [comparison, timeZone, user] = await Promise.all([
    compareRecord(admin, key, query.from, query.to),
    viewerTimeZone(),
    requireUser(),
  ]);
  const base = `/t/${admin.slug}/${id}`;
  const shown = comparison.fields.filter((f) => f.changed || query.all);
  const changedCount = comparison.fields.filter((f) => f.changed).length;
  const link = (change: Partial<{ view: "side" | "inline"; all: boolean }>) => {
    const next = { ...query, ...change };
    const search = new URLSearchParams({ from: query.fromParam, to: query.toParam, view: next.view });
    if (next.all) search.set("all", "1");
    return `${base}/compare?${search}`;
  };
  const permalink = link({});
  return (
    <>
      <PageHeader
        breadcrumb={
          <RecordBreadcrumb slug={admin.slug} label={admin.label} title={recordTitle(admin, row)} recordPath={base} here="compare" />
        }
        title={`Compare versions of ${recordTitle(admin, row)}`}
        description={`${changedCount} of ${comparison.fields.length} tracked properties differ.`}
        actions={
          <>
            <CopyLink path={permalink} />
            {can(user.role, admin.manageRole) && row.retired !== true ? (
              <RevertToButton recordPath={base} sides={[comparison.from, comparison.to]} latest={latest} />
            ) : null}
            <ButtonLink href={`${base}/history`}>Full history</ButtonLink>
          </>
        }
      />
      {query.problems.map((problem) => (
        <Alert key={problem} tone="warn" title={problem} className="mb-3" />
      ))}
      <div className="space-y-5">
        <Card title="Versions to compare" id="pick">
          <ComparePicker
            key={permalink}
            path={`${base}/compare`}
            from={query.fromParam}
            to={query.toParam}
            view={query.view}
            all={query.all}
            latest={latest}
          />
        </Card>
        <Card
          title={
            <span className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
              <SideLabel side={comparison.from} name="From" timeZone={timeZone} />
              <span aria-hidden="true">→</span>
              <SideLabel side={comparison.to} name="To" timeZone={timeZone} />
            </span>
          }
          id="differences"
          actions={
            <nav aria-label="Compare view" className="flex flex-wrap items-center gap-3 text-xs font-medium">
              <Link
                href={link({ view: "side" })}
                aria-current={query.view === "side" ? "page" : undefined}
                className="text-accent hover:underline aria-[current=page]:text-ink aria-[current=page]:no-underline"
              >
                Side by side
              </Link>
              <Link
                href={link({ view: "inline" })}
                aria-current={query.view === "inline" ? "page" : undefined}
                className="text-accent hover:underline aria-[current=page]:text-ink aria-[current=page]:no-underline"
              >
                Inline
              </Link>
              <Link href={link({ all: !query.all })} className="text-accent hover:underline">
                {query.all ? "Hide unchanged" : `Show unchanged (${comparison.fields.length - changedCount})`}
              </Link>
            </nav>
          }
        >
          {shown.length === 0 ? (
            <p className="px-4 py-3 text-sm text-muted" data-testid="no-differences">
              No tracked property differs between these two points.
            </p>
          ) : query.view === "side" ? (
            <DataTable data-testid="compare-table">
              <thead>
                <tr>
                  <th className={th}>Property</th>
                  <th className={th}>From</th>
                  <th className={th}>To</th>
                  <th className={th}>Difference</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ field, before, after, changed, diff }) => (
                  <tr key={field.prop} data-testid={`compare-${field.prop}`} data-changed={changed}>
                    <th scope="row" className={`${td} text-left text-xs font-medium text-muted`}>
                      {field.label}
                      {changed ? null : <span className="sr-only"> (unchanged)</span>}
                    </th>
                    <td className={td}>
                      {comparison.from ? (
                        <Value field={field} value={before} labels={comparison.labels} timeZone={timeZone} />
                      ) : (
                        <span className="text-faint">—</span>
                      )}
                    </td>
                    <td className={td}>
                      {comparison.to ? (
                        <Value field={field} value={after} labels={comparison.labels} timeZone={timeZone} />
                      ) : (
                        <span className="text-faint">—</span>
                      )}
                    </td>
                    <td className={td}>
                      {changed ? (
                        <ValueDiffView diff={diff} before={null} after={null} />
                      ) : (
                        <span className="text-xs text-faint">unchanged</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          ) : (
            <dl className="divide-y divide-line" data-testid="compare-list">
              {shown.map(({ field, before, after, changed, diff }) => {
                const b = <Value field={field} value={before} labels={comparison.labels} timeZone={timeZone} />;
                const a = <Value field={field} value={after} labels={comparison.labels} timeZone={timeZone} />;
                return (
                  <div
                    key={field.prop}
                    className="grid gap-1 px-4 py-2 sm:grid-cols-[10rem_minmax(0,1fr)]"
                    data-testid={`compare-${field.prop}`}
                    data-changed={changed}
                  >
                    <dt className="text-xs font-medium text-muted">{field.label}</dt>
                    <dd className="min-w-0 text-sm">
                      {!changed ? (
                        a
                      ) : diff.kind === "words" || diff.kind === "json" ? (
                        <ValueDiffView diff={diff} before={b} after={a} inline />
                      ) : diff.kind === "plain" ? (
                        <Change before={b} after={a} created={!comparison.from} />
                      ) : (
                        <ValueDiffView diff={diff} before={b} after={a} inline />
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
          )}
        </Card>
        <Card
          title={`Activities in between (${comparison.betweenCount})`}
          id="between"
          actions={
            comparison.betweenCount > BETWEEN_LIMIT ? (
              <Link href={`${base}/history`} className="text-xs font-medium text-accent hover:underline">
                The newest {BETWEEN_LIMIT} are listed; full history →
              </Link>
            ) : null
          }
        >
          <TickFeed
            admin={admin}
            ticks={comparison.between}
            labels={comparison.labels}
            timeZone={timeZone}
            recordPath={base}
            latest={latest}
          />
        </Card>
      </div>
    </>
  );
}
