import Link from "next/link";
import { DataTable, TableHead, td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatMoment } from "@/lib/admin/format";
import type { ActivitySummary } from "@temporal-records/drizzle";
import { ActivityBadges } from "./activity-badges";
import { touchedText } from "./touched";

/** The activity log as a dense table: when, who, why, from where, and what it touched. */
export function ActivityTable({ items, timeZone, caption }: { items: ActivitySummary[]; timeZone: string; caption: string }) {
  return (
    <DataTable>
      <caption className="sr-only">{caption}</caption>
      <TableHead columns={["When", "Actor", "Reason", "Source", "Touched", { label: "ID", className: "text-right" }]} />
      <tbody>
        {items.map((a) => (
          <tr key={a.id} className="hover:bg-slate-50">
            <td className={`${td} whitespace-nowrap text-muted`}>
              <Time value={a.at}>{formatMoment(a.at, timeZone)}</Time>
            </td>
            <td className={`${td} max-w-48 truncate text-muted`} title={a.actor}>
              {a.actorName ?? a.actor}
            </td>
            <td className={`${td} min-w-64`}>
              <Link href={`/activity/${a.id}`} className="font-medium text-accent hover:underline">
                {a.reason}
              </Link>
            </td>
            <td className={td}>
              <ActivityBadges activity={a} />
            </td>
            <td className={`${td} whitespace-nowrap text-muted`}>{touchedText(a.ticks)}</td>
            <td className={`${td} text-right tabular-nums text-muted`}>#{a.id}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
