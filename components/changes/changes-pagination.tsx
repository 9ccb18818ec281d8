import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { changesHref, type ChangesSearch } from "@/lib/admin/changes-params";

/** Cursor pages of the changes: back to the newest page, or on to older changes. */
export function ChangesPagination({
  slug,
  search,
  nextCursor,
  shown,
}: {
  slug: string;
  search: ChangesSearch;
  nextCursor: string | null;
  shown: number;
}) {
  const first = !search.cursor;
  return (
    <nav aria-label="Pages of changes" className="flex flex-wrap items-center justify-between gap-3 px-4 py-2.5 text-sm">
      <p className="text-muted">
        {shown.toLocaleString("en-US")} {shown === 1 ? "change" : "changes"} {first ? "(newest first)" : "(older page)"}
      </p>
      <div className="flex items-center gap-2">
        <Link
          href={changesHref(slug, { ...search, cursor: undefined })}
          aria-current={first ? "page" : undefined}
          className={buttonClass("secondary", "sm", first ? "pointer-events-none opacity-60" : undefined)}
        >
          ← Newest
        </Link>
        {nextCursor ? (
          <Link href={changesHref(slug, { ...search, cursor: nextCursor })} className={buttonClass("secondary", "sm")} rel="next">
            Older →
          </Link>
        ) : (
          <span className={buttonClass("secondary", "sm", "opacity-50")} aria-disabled="true">
            Older →
          </span>
        )}
      </div>
    </nav>
  );
}
