import Link from "next/link";
import { Change } from "@/components/history/change";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable, TableHead, td } from "@/components/ui/table";
import { EMPTY, formatValue } from "@/lib/admin/format";
import { fieldOf, type AdminTable } from "@/lib/admin/registry";
import type { Labels } from "@/lib/admin/types";
import type { PropertyChange } from "@temporal-records/drizzle";
import { TickKindBadge } from "./activity-badges";
import type { TableChanges } from "@/lib/admin/changeset";

function valueText(admin: AdminTable, labels: Labels, prop: string, value: unknown, timeZone: string): string {
  const field = fieldOf(admin, prop);
  if (!field) return value === null || value === undefined ? EMPTY : String(value);
  if (field.reference && value !== null && value !== undefined) {
    const label = labels[prop]?.get(String(value));
    return label ? `${label} (#${String(value)})` : `#${String(value)}`;
  }
  return formatValue(field, value, timeZone);
}

/** Property changes of one tick; "retired" is left out because the kind badge says it. */
function Changes({
  admin,
  labels,
  changes,
  created,
  timeZone,
}: {
  admin: AdminTable;
  labels: Labels;
  changes: PropertyChange[];
  created: boolean;
  timeZone: string;
}) {
  const shown = changes.filter((c) => c.property !== "retired");
  if (shown.length === 0) return <span className="text-faint">No property changed</span>;
  return (
    <dl className="grid grid-cols-[minmax(7rem,max-content)_1fr] gap-x-3 gap-y-1">
      {shown.map((c) => (
        <div key={c.property} className="contents">
          <dt className="text-muted">{fieldOf(admin, c.property)?.label ?? c.property}</dt>
          <dd className="min-w-0 break-words">
            <Change
              created={created || c.before === undefined}
              before={valueText(admin, labels, c.property, c.before, timeZone)}
              after={valueText(admin, labels, c.property, c.after, timeZone)}
            />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Every record one table had changed on this page, with each tick's changes before → after. */
export function ChangesetTable({ changes, timeZone }: { changes: TableChanges; timeZone: string }) {
  const { admin, records, labels, total } = changes;
  const id = `changes-${admin.slug}`;
  return (
    <Card
      id={id}
      title={admin.label}
      actions={
        <span className="text-xs text-muted">
          {total.toLocaleString("en-US")} {total === 1 ? "change" : "changes"} in this table
        </span>
      }
    >
      <DataTable aria-labelledby={`${id}-title`}>
        <TableHead
          columns={[
            { label: admin.singular, className: "w-64" },
            { label: "Version", className: "w-20 text-right" },
            { label: "Kind", className: "w-24" },
            "Changes",
          ]}
        />
        <tbody>
          {records.flatMap((record) =>
            record.entries.map((entry, i) => (
              <tr key={`${record.id}@${entry.vclock}`} className="hover:bg-slate-50">
                {i === 0 ? (
                  <th scope="row" rowSpan={record.entries.length} className={`${td} text-left font-normal`}>
                    <Link href={record.href} className="font-medium text-accent hover:underline">
                      {record.title}
                    </Link>
                    <span className="ml-1.5 font-mono text-xs text-faint">#{record.id}</span>
                    {record.current?.retired === true ? (
                      <Badge className="ml-1.5">retired now</Badge>
                    ) : !record.current ? (
                      <span className="block text-xs text-faint">No longer exists</span>
                    ) : null}
                  </th>
                ) : null}
                <td className={`${td} text-right tabular-nums text-muted`} title={`Tick ${entry.vclock} of this record`}>
                  v{entry.vclock}
                </td>
                <td className={td}>
                  <TickKindBadge kind={entry.kind} />
                </td>
                <td className={td}>
                  <Changes admin={admin} labels={labels} changes={entry.changes} created={entry.kind === "created"} timeZone={timeZone} />
                </td>
              </tr>
            )),
          )}
        </tbody>
      </DataTable>
    </Card>
  );
}
