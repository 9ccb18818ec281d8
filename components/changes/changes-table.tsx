import Link from "next/link";
import { Change } from "@/components/history/change";
import { Value } from "@/components/record/value";
import { DataTable, TableHead, td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatMoment } from "@/lib/admin/format";
import type { ListedChange } from "@/lib/admin/property-changes";
import type { Field } from "@/lib/admin/registry";
import type { Labels } from "@/lib/admin/types";

/** One property's changes across records, newest first: when, which record, before → after, who, why, and the change set. */
export function ChangesTable({
  field,
  items,
  labels,
  timeZone,
  caption,
}: {
  field: Field;
  items: ListedChange[];
  labels: Labels;
  timeZone: string;
  caption: string;
}) {
  return (
    <DataTable>
      <caption className="sr-only">{caption}</caption>
      <TableHead
        columns={["When", "Record", <>{field.label}: before → after</>, "Who and why", { label: "Change set", className: "text-right" }]}
      />
      <tbody>
        {items.map((item) => (
          <tr key={`${item.id}@${item.vclock}`} className="hover:bg-slate-50">
            <td className={`${td} whitespace-nowrap text-muted`}>
              <Time value={item.timestamp}>{formatMoment(item.timestamp, timeZone)}</Time>
            </td>
            <td className={`${td} whitespace-nowrap`}>
              <Link href={item.href} className="font-medium text-accent hover:underline">
                {item.title}
              </Link>
              <span className="ml-1.5 text-xs text-muted">v{item.vclock}</span>
            </td>
            <td className={`${td} min-w-40`}>
              <Change
                created={item.before === undefined}
                before={<Value field={field} value={item.before} labels={labels} timeZone={timeZone} />}
                after={<Value field={field} value={item.after} labels={labels} timeZone={timeZone} />}
              />
              {item.before === undefined ? <span className="ml-1.5 text-xs text-muted">(created)</span> : null}
            </td>
            <td className={`${td} min-w-64`}>
              <span className="block max-w-72 truncate text-xs text-muted" title={item.activity.actor}>
                {item.activity.actorName ?? item.activity.actor}
              </span>
              {item.activity.reason}
            </td>
            <td className={`${td} text-right whitespace-nowrap`}>
              <Link
                href={`/activity/${item.activity.id}`}
                className="text-accent tabular-nums hover:underline"
                aria-label={`Change set #${item.activity.id}: ${item.activity.reason}`}
              >
                #{item.activity.id}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
