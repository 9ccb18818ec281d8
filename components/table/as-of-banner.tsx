import Link from "next/link";
import type { ReactNode } from "react";
import { Time } from "@/components/ui/time";
import type { PastView } from "@/lib/admin/as-of-params";
import { formatInstant } from "@/lib/admin/format";

/**
 * Says, before anything else, that the page is history and not the table now: as of when (in the
 * viewer's zone, named), what a comparison shows, and the way back to now.
 */
export function AsOfBanner({
  view,
  timeZone,
  nowHref,
  untracked,
  children,
}: {
  view: PastView;
  timeZone: string;
  nowHref: string;
  /** Labels of listed columns whose past is not kept, so the grid leaves them out. */
  untracked: string[];
  /** The controls that change the moments. */
  children: ReactNode;
}) {
  const moment = (at: Date) => (
    <Time value={at} className="font-semibold">
      {formatInstant(at, timeZone)}
    </Time>
  );
  return (
    <section aria-labelledby="as-of-title" className="mb-4 rounded-lg border-2 border-amber-300 bg-warn-soft shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-amber-200 px-4 py-3 text-sm text-amber-950">
        <div className="space-y-1">
          <h2 id="as-of-title" className="text-base font-semibold">
            Read-only history
          </h2>
          {view.compareTo ? (
            <p>
              Comparing the table as of {moment(view.asOf)} with the table as of {moment(view.compareTo)}. The rows show the values as of{" "}
              {formatInstant(view.compareTo, timeZone)}; the Change column says what happened to each record in between, and a Δ beside a
              value gives the one it replaced.
            </p>
          ) : (
            <p>The table as of {moment(view.asOf)}. Nothing here can be changed.</p>
          )}
          {untracked.length > 0 ? <p className="text-xs">Not shown: {untracked.join(", ")} (their past is not kept).</p> : null}
        </div>
        <Link href={nowHref} className="shrink-0 font-semibold text-accent underline-offset-2 hover:underline">
          Back to now →
        </Link>
      </div>
      <div className="bg-panel/80">{children}</div>
    </section>
  );
}
