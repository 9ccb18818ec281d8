import Link from "next/link";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatDay } from "@/lib/admin/format";
import { adminTables } from "@/lib/admin/registry";
import type { DailyTicks } from "@temporal-records/drizzle";
import { ChangesChart, type Series } from "./changes-chart";
import { chartRows, RANGES, rowTotal, type RangeKey } from "@/lib/admin/chart-data";

const COLORS = ["var(--color-accent)", "var(--color-warn)", "var(--color-ok)", "var(--color-danger)", "var(--color-muted)"];
const n = (value: number) => value.toLocaleString("en-US");

function RangePicker({ range }: { range: RangeKey }) {
  return (
    <nav aria-label="Chart range" className="flex rounded-md border border-line p-0.5">
      {(Object.keys(RANGES) as RangeKey[]).map((key) => (
        <Link
          key={key}
          href={`/?range=${key}`}
          scroll={false}
          aria-current={key === range ? "page" : undefined}
          className={cn(
            "rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap",
            key === range ? "bg-accent text-white" : "text-muted hover:bg-slate-100 hover:text-ink",
          )}
        >
          {RANGES[key].label}
        </Link>
      ))}
    </nav>
  );
}

/** Changes per day (or week) for every table, with a summary and the numbers as a table for screen readers. */
export function ChangesCard({
  ticks,
  range,
  fromDay,
  today,
  timeZone,
}: {
  ticks: DailyTicks[];
  range: RangeKey;
  fromDay: string;
  today: string;
  timeZone: string;
}) {
  const bucket = RANGES[range].bucket;
  const series: Series[] = adminTables().map((t, i) => ({ key: t.slug, label: t.label, color: COLORS[i % COLORS.length]! }));
  const keys = series.map((s) => s.key);
  const rows = chartRows(ticks, keys, fromDay, today, bucket);
  const busy = rows.filter((r) => rowTotal(r, keys) > 0);
  const total = busy.reduce((sum, r) => sum + rowTotal(r, keys), 0);
  const busiest = busy.reduce<(typeof rows)[number] | undefined>(
    (best, r) => (!best || rowTotal(r, keys) > rowTotal(best, keys) ? r : best),
    undefined,
  );
  const perTable = series.map((s) => `${s.label} ${n(busy.reduce((sum, r) => sum + Number(r[s.key] ?? 0), 0))}`).join(", ");
  const unit = bucket === "week" ? "week" : "day";
  return (
    <Card id="changes" title={`Changes per ${unit}`} actions={<RangePicker range={range} />}>
      <figure className="px-4 pt-3 pb-2">
        <figcaption className="text-sm text-muted">
          {total === 0 ? (
            <>
              No changes from {formatDay(fromDay)} to {formatDay(today)} ({timeZone}).
            </>
          ) : (
            <>
              <span className="font-medium text-ink">{n(total)} changes</span> from {formatDay(fromDay)} to {formatDay(today)} ({timeZone}):{" "}
              {perTable}.
              {busiest
                ? ` Busiest ${unit}: ${bucket === "week" ? "week of " : ""}${formatDay(busiest.bucket)} with ${n(rowTotal(busiest, keys))}.`
                : null}
            </>
          )}
        </figcaption>
        <ChangesChart rows={rows} series={series} bucket={bucket} />
        <div className="sr-only">
          <table>
            <caption>Changes per {unit} with at least one change, by table</caption>
            <thead>
              <tr>
                <th scope="col">{bucket === "week" ? "Week of" : "Day"}</th>
                {series.map((s) => (
                  <th key={s.key} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {busy.map((r) => (
                <tr key={r.bucket}>
                  <th scope="row">{formatDay(r.bucket)}</th>
                  {series.map((s) => (
                    <td key={s.key}>{Number(r[s.key] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </figure>
    </Card>
  );
}
