import Link from "next/link";
import { buttonClass } from "./button";

/**
 * Cursor pages, newest first: back to the newest page, or on to older rows.
 *
 * @example
 * <CursorPagination label="Activity log pages" noun={["activity", "activities"]} shown={50} newest="/activity" older={null} />
 */
export function CursorPagination({
  label,
  noun,
  shown,
  first,
  newest,
  older,
}: {
  label: string;
  /** Singular and plural. */
  noun: [string, string];
  shown: number;
  /** This is the newest page. */
  first: boolean;
  newest: string;
  /** The next older page, or null on the last one. */
  older: string | null;
}) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 px-4 py-2.5 text-sm">
      <p className="text-muted">
        {shown.toLocaleString("en-US")} {shown === 1 ? noun[0] : noun[1]} {first ? "(newest first)" : "(older page)"}
      </p>
      <div className="flex items-center gap-2">
        <Link
          href={newest}
          aria-current={first ? "page" : undefined}
          className={buttonClass("secondary", "sm", first ? "pointer-events-none opacity-60" : undefined)}
        >
          ← Newest
        </Link>
        {older ? (
          <Link href={older} className={buttonClass("secondary", "sm")} rel="next">
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
