import Link from "next/link";
import { formatMoment } from "@/lib/admin/format";

const shortDate = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "short", day: "numeric" }).format(date);
import type { Blame } from "@temporal-records/drizzle";

/**
 * Who set this value, when and why. The chip is focusable; hover or focus shows the
 * reason (it is also the chip's accessible description), and it links to the
 * property's history.
 */
export function BlameChip({ blame, href, timeZone, id }: { blame: Blame; href: string; timeZone: string; id: string }) {
  const when = shortDate(blame.timestamp, timeZone);
  return (
    <span className="group relative inline-flex max-w-full">
      <Link
        href={href}
        aria-describedby={`${id}-why`}
        className="inline-flex max-w-full items-center gap-1 rounded-full border border-line bg-slate-50 px-2 py-0.5 text-xs text-muted hover:border-accent hover:text-accent"
      >
        <span className="min-w-0 truncate font-medium">{blame.activity.actorName ?? blame.activity.actor}</span>
        <span aria-hidden="true">·</span>
        <time dateTime={blame.timestamp.toISOString()} className="whitespace-nowrap">
          {when}
        </time>
        <span className="sr-only">, version {blame.vclock}. View history</span>
      </Link>
      <span
        id={`${id}-why`}
        role="tooltip"
        className="invisible absolute top-full left-0 z-20 mt-1 w-72 rounded-md border border-line bg-panel p-2 text-xs text-ink opacity-0 shadow-lg transition-opacity group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100"
      >
        <span className="block font-medium">Why: {blame.activity.reason}</span>
        <span className="mt-0.5 block text-faint">
          Version {blame.vclock}, {formatMoment(blame.timestamp, timeZone)}
        </span>
      </span>
    </span>
  );
}
