import { adminTable, adminTables } from "@/lib/admin/registry";

/** How many changes an activity made per table, in the admin's table order, labelled. */
export function touchedTables(ticks: Record<string, number>): { slug: string; label: string; count: number }[] {
  const known = adminTables()
    .filter((t) => (ticks[t.slug] ?? 0) > 0)
    .map((t) => ({ slug: t.slug, label: t.label, count: ticks[t.slug]! }));
  const unknown = Object.entries(ticks)
    .filter(([slug, count]) => count > 0 && !adminTable(slug))
    .map(([slug, count]) => ({ slug, label: slug, count }));
  return [...known, ...unknown];
}

/** "Members ×583, Providers ×1", or "Nothing" for an activity that changed no record. */
export function touchedText(ticks: Record<string, number>): string {
  const parts = touchedTables(ticks).map((t) => `${t.label} ×${t.count.toLocaleString("en-US")}`);
  return parts.length > 0 ? parts.join(", ") : "Nothing";
}
