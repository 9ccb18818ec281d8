import Link from "next/link";

/** "Table / Record / <where>" above a record's sub-pages (history, compare, revert, a past version). */
export function RecordBreadcrumb({
  slug,
  label,
  title,
  recordPath,
  here,
}: {
  slug: string;
  label: string;
  title: string;
  recordPath: string;
  here: string;
}) {
  return (
    <>
      <Link href={`/t/${slug}`} className="hover:underline">
        {label}
      </Link>{" "}
      /{" "}
      <Link href={recordPath} className="hover:underline">
        {title}
      </Link>{" "}
      / {here}
    </>
  );
}
