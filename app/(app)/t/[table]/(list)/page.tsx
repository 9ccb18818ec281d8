import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { AsOfBanner } from "@/components/table/as-of-banner";
import { AsOfControls } from "@/components/table/as-of-controls";
import { FilterPanel } from "@/components/table/filter-panel";
import { filterControls, gridColumns, gridRow, MAX_REFERENCE_CHOICES } from "@/components/table/grid-data";
import { RecordGrid } from "@/components/table/record-grid";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { CopyLink } from "@/components/ui/copy-link";
import { readDatabase } from "@/db/client";
import { parseTimeParams, shownMoment } from "@/lib/admin/as-of-params";
import { wallTimeOf } from "@/lib/admin/dates";
import { formatInstant } from "@/lib/admin/format";
import { listHref, listedFields, parseListQuery, pastFields, pastSortFields, type SearchParams } from "@/lib/admin/list-query";
import { loadTablePage } from "@/lib/admin/list-page";
import { adminTable, recordId } from "@/lib/admin/registry";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

type Props = { params: Promise<{ table: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const admin = adminTable((await params).table);
  if (!admin) return { title: "Not found" };
  return { title: (await searchParams).asOf ? `${admin.label} (history)` : admin.label };
}

/**
 * Any temporal table's records, filtered, sorted and paged in the database, all state in the URL:
 * now, or as they were at `?asOf=` (read-only), or compared between `asOf` and `compareTo`.
 */
export default async function TablePage({ params, searchParams }: Props) {
  const admin = adminTable((await params).table);
  if (!admin) notFound();
  const user = await requireUser();
  const [raw, timeZone] = await Promise.all([searchParams, viewerTimeZone()]);
  const time = parseTimeParams(raw, timeZone);
  const past = time.view.kind === "past" ? time.view : undefined;
  const fields = time.view.kind === "now" ? listedFields(admin) : pastFields(admin);
  // A table then sorts by the key and the sortable properties only: those are read from an index.
  const sortFields = time.view.kind === "now" ? fields : pastSortFields(admin);
  const requested = { ...parseListQuery(admin, raw, fields, sortFields), ...time.search };
  const path = `/t/${admin.slug}`;
  if (time.canonical) redirect(listHref(path, { ...requested, ...time.canonical }, admin.defaultSort));
  const noun = admin.label.toLowerCase();
  const nowHref = listHref(path, { ...requested, asOf: undefined, compareTo: undefined, changedOnly: false, page: 1 }, admin.defaultSort);
  const createHref = time.view.kind === "now" && can(user.role, admin.manageRole) ? admin.createHref : undefined;
  const header = (
    <PageHeader
      title={admin.label}
      description={admin.description}
      actions={
        <>
          <CopyLink />
          <ButtonLink href={`${path}/changes`}>Changes across records</ButtonLink>
          {createHref ? (
            <ButtonLink href={createHref} variant="primary">
              New {admin.singular.toLowerCase()}
            </ButtonLink>
          ) : null}
        </>
      }
    />
  );
  const problems =
    time.problems.length > 0 ? (
      <Alert tone={time.view.kind === "invalid" ? "danger" : "warn"} title="This history link could not be read as it is" className="mb-4">
        <ul className="list-disc pl-5">
          {time.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </Alert>
    ) : null;
  const controls = (
    <AsOfControls
      // Keyed by the moments, so a link that changes them (Back to now) resets the inputs.
      key={JSON.stringify([requested.asOf, requested.compareTo, requested.changedOnly])}
      path={path}
      query={requested}
      defaultSort={admin.defaultSort}
      filterProps={fields.map((f) => f.prop)}
      timeZone={timeZone}
      asOf={past ? wallTimeOf(past.asOf, timeZone) : undefined}
      compareTo={past?.compareTo ? wallTimeOf(past.compareTo, timeZone) : undefined}
    />
  );

  if (time.view.kind === "invalid") {
    // No rows: the current ones would pass for the history that was asked for.
    return (
      <>
        {header}
        {problems}
        <section aria-label="Pick a moment" className="mb-4 rounded-lg border border-line bg-panel shadow-sm">
          {controls}
          <p className="border-t border-line px-4 py-2.5 text-sm">
            <a href={nowHref} className="font-medium text-accent hover:underline">
              See the table as it is now
            </a>
          </p>
        </section>
      </>
    );
  }

  const { query, rows, total, before, choices, labels } = await readDatabase((db) =>
    loadTablePage(db, admin, requested, past, fields, MAX_REFERENCE_CHOICES),
  );
  const shownIso = past ? (past.compareTo ? query.compareTo! : query.asOf!) : undefined;
  const comparing = past?.compareTo !== undefined;
  const listed = new Set(fields.map((f) => f.prop));
  return (
    <>
      {header}
      {problems}
      {past ? (
        <AsOfBanner
          view={past}
          timeZone={timeZone}
          nowHref={nowHref}
          untracked={listedFields(admin)
            .filter((f) => !listed.has(f.prop))
            .map((f) => f.label)}
        >
          {controls}
        </AsOfBanner>
      ) : (
        <details className="mb-4 rounded-lg border border-line bg-panel shadow-sm">
          <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-ink">History: see this table as it was</summary>
          <div className="border-t border-line">{controls}</div>
        </details>
      )}
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
        columns={gridColumns(admin, fields, sortFields)}
        rows={rows.map((row) =>
          gridRow(
            admin,
            fields,
            row,
            labels,
            timeZone,
            shownIso ? { asOf: shownIso, compare: comparing ? { before: before?.get(recordId(admin, row)) } : undefined } : undefined,
          ),
        )}
        total={total}
        query={query}
        defaultSort={admin.defaultSort}
        label={past ? `${admin.label} as of ${formatInstant(shownMoment(past), timeZone)}` : admin.label}
        noun={noun}
        compare={comparing ? { from: formatInstant(past!.asOf, timeZone) } : undefined}
        empty={past ? (query.changedOnly ? "Nothing changed between the two moments." : "No records existed then.") : undefined}
      />
    </>
  );
}
