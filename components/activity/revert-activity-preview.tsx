import Link from "next/link";
import { Change } from "@/components/history/change";
import { Value } from "@/components/record/value";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable, TableHead, td } from "@/components/ui/table";
import type { UndoProperty, UndoRecord, UndoTable } from "@/lib/admin/revert-activity";
import type { Labels } from "@/lib/admin/types";

const EFFECT: Record<UndoRecord["effect"], string | null> = {
  retire: "created by this activity: undoing it retires the record",
  restore: "retired by this activity: undoing it restores the record",
  change: null,
};

/** Keep now / take the old value, for one property a later activity changed again. */
function ConflictChoice({
  index,
  table,
  record,
  property,
  labels,
  timeZone,
}: {
  index: number;
  table: UndoTable;
  record: UndoRecord;
  property: UndoProperty;
  labels: Labels;
  timeZone: string;
}) {
  const name = `conflict.${index}`;
  const conflict = property.conflict!;
  const ref = JSON.stringify({ table: table.slug, id: record.id, property: property.field.prop, seen: conflict.seenVclock });
  const value = (v: unknown) => <Value field={property.field} value={v} labels={labels} timeZone={timeZone} />;
  return (
    <fieldset className="space-y-1" data-testid={`choice-${record.id}-${property.field.prop}`}>
      <legend className="text-xs font-medium text-amber-900">
        <span className="sr-only">
          {record.title}, {property.field.label}:{" "}
        </span>
        changed again later by{" "}
        {conflict.activityIds.map((id, i) => (
          <span key={id}>
            {i > 0 ? ", " : null}
            <Link href={`/activity/${id}`} className="underline">
              #{id}
            </Link>
          </span>
        ))}
        . Choose:
      </legend>
      <input type="hidden" name={`${name}.ref`} value={ref} />
      <label className="flex items-baseline gap-1.5 text-sm">
        <input type="radio" name={name} value="now" required className="accent-accent" />
        <span>Keep now: {value(property.now)}</span>
      </label>
      <label className="flex items-baseline gap-1.5 text-sm">
        <input type="radio" name={name} value="old" required className="accent-accent" />
        <span>
          Take the old value: {property.old === undefined && record.effect === "retire" ? "retire the record" : value(property.old)}
        </span>
      </label>
    </fieldset>
  );
}

/**
 * What undoing an activity does, table by table, record by record, property by property:
 * what the activity set, the value now, and the value after the undo; where a later
 * activity changed the same property, the person's choice.
 */
export function RevertActivityPreview({ tables, timeZone }: { tables: UndoTable[]; timeZone: string }) {
  let index = 0;
  return (
    <div className="space-y-4">
      {tables.map((table) => (
        <Card
          key={table.slug}
          id={`undo-${table.slug}`}
          title={table.label}
          actions={
            table.hidden > 0 ? (
              <span className="text-xs text-muted">
                {table.hidden.toLocaleString("en-US")} more {table.hidden === 1 ? "record goes" : "records go"} back the same way (not
                listed)
              </span>
            ) : null
          }
        >
          <DataTable aria-labelledby={`undo-${table.slug}-title`}>
            <TableHead columns={[table.singular, "Property", "This activity set", "Now → after the undo"]} />
            <tbody>
              {table.records.flatMap((record) =>
                record.properties.map((property, i) => {
                  const value = (v: unknown) => <Value field={property.field} value={v} labels={table.labels} timeZone={timeZone} />;
                  const at = property.conflict ? index++ : -1;
                  return (
                    <tr key={`${record.id}.${property.field.prop}`} className={property.conflict ? "bg-warn-soft" : undefined}>
                      {i === 0 ? (
                        <th scope="row" rowSpan={record.properties.length} className={`${td} text-left font-normal`}>
                          <Link href={record.href} className="font-medium text-accent hover:underline">
                            {record.title}
                          </Link>
                          <span className="ml-1.5 font-mono text-xs text-faint">#{record.id}</span>
                          {EFFECT[record.effect] ? <span className="block text-xs text-muted">{EFFECT[record.effect]}</span> : null}
                        </th>
                      ) : null}
                      <td className={`${td} text-xs font-medium text-muted`}>
                        {property.field.label}
                        {property.conflict ? (
                          <Badge tone="warn" className="ml-1.5">
                            conflict
                          </Badge>
                        ) : null}
                      </td>
                      <td className={td}>{property.set === undefined ? <span className="text-faint">—</span> : value(property.set)}</td>
                      <td className={td}>
                        {property.conflict ? (
                          <ConflictChoice
                            index={at}
                            table={table}
                            record={record}
                            property={property}
                            labels={table.labels}
                            timeZone={timeZone}
                          />
                        ) : (
                          <Change before={value(property.now)} after={value(property.old)} />
                        )}
                      </td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </DataTable>
        </Card>
      ))}
    </div>
  );
}
