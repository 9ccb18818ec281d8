import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { connection } from "next/server";
import { ChangesFilters } from "@/components/changes/changes-filters";
import { ChangesTable } from "@/components/changes/changes-table";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Empty } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { CopyLink } from "@/components/ui/copy-link";
import { CursorPagination } from "@/components/ui/cursor-pagination";
import { readDatabase } from "@/db/client";
import { changeableFields, changesHref, parseChangesParams } from "@/lib/admin/changes-params";
import { wallTimeOf } from "@/lib/admin/dates";
import { formatInstant } from "@/lib/admin/format";
import type { SearchParams } from "@/lib/admin/list-query";
import { loadPropertyChanges } from "@/lib/admin/property-changes";
import { adminTable } from "@/lib/admin/registry";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { requireUser } from "@/lib/auth/session";
import { InvalidArgumentError, listActors } from "@temporal-records/drizzle";

type Props = { params: Promise<{ table: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const admin = adminTable((await params).table);
  return { title: admin ? `Changes · ${admin.label}` : "Not found" };
}

/** Every change of one tracked property across a table's records, in a window, by anyone or one actor: a read for auditors. */
export default async function ChangesPage({ params, searchParams }: Props) {
  await connection();
  const admin = adminTable((await params).table);
  if (!admin) notFound();
  await requireUser();
  const [raw, timeZone] = await Promise.all([searchParams, viewerTimeZone()]);
  const parsed = parseChangesParams(admin, raw, timeZone);
  if (parsed.canonical) redirect(changesHref(admin.slug, parsed.canonical));
  const { field, search } = parsed;
  const problems = [...parsed.problems];
  const [actors, page] = await readDatabase(async (db) => {
    const load = async () => {
      try {
        return await loadPropertyChanges(db, admin, parsed);
      } catch (error) {
        // A cursor of the right shape that the library cannot use: start again at the newest page.
        if (!(error instanceof InvalidArgumentError) || !parsed.cursor) throw error;
        problems.push("That page link is not one of this list's; showing the newest changes.");
        search.cursor = undefined;
        return loadPropertyChanges(db, admin, { ...parsed, cursor: undefined });
      }
    };
    return Promise.all([listActors(db), load()]);
  });
  const path = `/t/${admin.slug}/changes`;
  const window = [
    parsed.from ? `from ${formatInstant(parsed.from, timeZone)}` : undefined,
    parsed.to ? `until ${formatInstant(parsed.to, timeZone)}` : undefined,
  ].filter(Boolean);
  const caption = `Changes of ${field.label}${parsed.actor ? ` by ${parsed.actor}` : ""}${window.length ? `, ${window.join(" ")}` : ""}, newest first`;
  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href={`/t/${admin.slug}`} className="hover:underline">
              {admin.label}
            </Link>{" "}
            / changes
          </>
        }
        title={`${admin.label}: changes of ${field.label}`}
        description="Every change of one property across all records: before → after, who made it, when and why."
        actions={
          <>
            <CopyLink />
            <ButtonLink href={`/t/${admin.slug}`}>Back to {admin.label.toLowerCase()}</ButtonLink>
          </>
        }
      />
      {problems.length > 0 ? (
        <Alert tone="warn" title="Some of the link was not used" className="mb-4">
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Card>
        <ChangesFilters
          // Keyed by the filters, so a link that changes them (Clear) resets the inputs.
          key={changesHref(admin.slug, { ...search, cursor: undefined })}
          path={path}
          search={search}
          properties={changeableFields(admin).map(({ prop, label }) => ({ prop, label }))}
          actors={actors}
          timeZone={timeZone}
          from={parsed.from ? wallTimeOf(parsed.from, timeZone) : undefined}
          to={parsed.to ? wallTimeOf(parsed.to, timeZone) : undefined}
        />
        {page.items.length > 0 ? (
          <>
            <ChangesTable field={field} items={page.items} labels={page.labels} timeZone={timeZone} caption={caption} />
            <CursorPagination
              label="Pages of changes"
              noun={["change", "changes"]}
              shown={page.items.length}
              first={!search.cursor}
              newest={changesHref(admin.slug, { ...search, cursor: undefined })}
              older={page.nextCursor ? changesHref(admin.slug, { ...search, cursor: page.nextCursor }) : null}
            />
          </>
        ) : (
          <Empty title={search.cursor ? "No older changes" : `No changes of ${field.label} match`}>
            {search.cursor || parsed.from || parsed.to || parsed.actor ? (
              <ButtonLink href={changesHref(admin.slug, { property: field.prop })} size="sm" className="mt-2">
                Show every change of {field.label}
              </ButtonLink>
            ) : (
              "Nothing has changed it yet."
            )}
          </Empty>
        )}
      </Card>
    </>
  );
}
