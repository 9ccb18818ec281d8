import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { activityHref, type ActivityParams } from "@/lib/admin/activity-params";

/** Cursor pages of the log: back to the newest page, or on to older activity. */
export function LogPagination({ params, nextCursor, shown }: { params: ActivityParams; nextCursor: string | null; shown: number }) {
  const first = !params.cursor;
  return (
    <nav aria-label="Activity log pages" className="flex flex-wrap items-center justify-between gap-3 px-4 py-2.5 text-sm">
      <p className="text-muted">
        {shown.toLocaleString("en-US")} {shown === 1 ? "activity" : "activities"} {first ? "(newest first)" : "(older page)"}
      </p>
      <div className="flex items-center gap-2">
        <Link
          href={activityHref({ ...params, cursor: undefined })}
          aria-current={first ? "page" : undefined}
          className={buttonClass("secondary", "sm", first ? "pointer-events-none opacity-60" : undefined)}
        >
          ← Newest
        </Link>
        {nextCursor ? (
          <Link href={activityHref({ ...params, cursor: nextCursor })} className={buttonClass("secondary", "sm")} rel="next">
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
