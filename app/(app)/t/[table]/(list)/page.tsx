import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FilterPanel } from "@/components/table/filter-panel";
import { filterControls, gridColumns, gridRow, MAX_REFERENCE_CHOICES } from "@/components/table/grid-data";
import { RecordGrid } from "@/components/table/record-grid";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { listedFields, parseListQuery, type SearchParams } from "@/lib/admin/list-query";
import { listRecords, referenceLabels, referenceOptions } from "@/lib/admin/queries";
import { adminTable } from "@/lib/admin/registry";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

type Props = { params: Promise<{ table: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const admin = adminTable((await params).table);
  return { title: admin?.label ?? "Not found" };
}

/** Any temporal table's current records: filtered, sorted and paged in the database, all state in the URL. */
export default async function TablePage({ params, searchParams }: Props) {
  const admin = adminTable((await params).table);
  if (!admin) notFound();
  const fields = listedFields(admin);
  const user = await requireUser();
  const createHref = can(user.role, admin.manageRole) ? admin.createHref : undefined;
  const requested = parseListQuery(admin, await searchParams);
  const references = fields.filter((f) => f.kind === "reference");
  const timeZone = await viewerTimeZone();
  const { query, rows, total, choices, labels } = await readDatabase(async (db) => {
    let query = requested;
    const [page, choices] = await Promise.all([
      listRecords(db, admin, query),
      Promise.all(references.map(async (f) => [f.prop, await referenceOptions(db, f, MAX_REFERENCE_CHOICES + 1)] as const)),
    ]);
    let { rows, total } = page;
    const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
    if (query.page > pageCount) {
      // Past the end (a stale link, or the filters shrank the list): show the last page.
      query = { ...query, page: pageCount };
      ({ rows, total } = await listRecords(db, admin, query));
    }
    return { query, rows, total, choices, labels: await referenceLabels(db, admin, rows) };
  });
  const path = `/t/${admin.slug}`;
  const noun = admin.label.toLowerCase();
  return (
    <>
      <PageHeader
        title={admin.label}
        description={admin.description}
        actions={
          createHref ? (
            <ButtonLink href={createHref} variant="primary">
              New {admin.singular.toLowerCase()}
            </ButtonLink>
          ) : undefined
        }
      />
      <FilterPanel
        key={JSON.stringify([query.filters, query.includeRetired])}
        path={path}
        controls={filterControls(fields, Object.fromEntries(choices.filter(([, list]) => list.length <= MAX_REFERENCE_CHOICES)))}
        query={query}
        defaultSort={admin.defaultSort}
        noun={noun}
      />
      <RecordGrid
        path={path}
        columns={gridColumns(admin, fields)}
        rows={rows.map((row) => gridRow(admin, fields, row, labels, timeZone))}
        total={total}
        query={query}
        defaultSort={admin.defaultSort}
        label={admin.label}
        noun={noun}
      />
    </>
  );
}
