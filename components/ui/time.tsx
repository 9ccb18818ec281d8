import { formatMoment } from "@/lib/admin/format";

/** A moment in the viewer's time zone (named), with the exact UTC timestamp on hover and for machines. */
export function Time({ value, timeZone, className }: { value: Date | string; timeZone: string; className?: string }) {
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso} className={className}>
      {formatMoment(date, timeZone)}
    </time>
  );
}
