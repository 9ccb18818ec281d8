import Link from "next/link";
import { Card } from "@/components/ui/card";
import { DataTable, TableHead, td } from "@/components/ui/table";
import type { AdminTable } from "@/lib/admin/registry";

type Counts = Record<string, { live: number; retired: number }>;

/** Every temporal table with its live and retired record counts. */
export function TablesCard({ tables, counts }: { tables: AdminTable[]; counts: Counts }) {
  return (
    <Card id="tables" title="Tables">
      <DataTable aria-labelledby="tables-title">
        <TableHead columns={["Table", { label: "Live", className: "text-right" }, { label: "Retired", className: "text-right" }]} />
        <tbody>
          {tables.map((t) => (
            <tr key={t.slug} className="hover:bg-slate-50">
              <th scope="row" className={`${td} text-left font-normal`}>
                <Link href={`/t/${t.slug}`} className="font-medium text-accent hover:underline">
                  {t.label}
                </Link>
                {t.description ? <p className="mt-0.5 text-xs text-muted">{t.description}</p> : null}
              </th>
              <td className={`${td} text-right tabular-nums`}>{(counts[t.slug]?.live ?? 0).toLocaleString("en-US")}</td>
              <td className={`${td} text-right tabular-nums text-muted`}>{(counts[t.slug]?.retired ?? 0).toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </Card>
  );
}
