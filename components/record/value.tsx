import { Badge } from "@/components/ui/badge";
import { EMPTY, formatValue } from "@/lib/admin/format";
import type { Field } from "@/lib/admin/registry";
import type { Labels } from "@/lib/admin/types";

/** A field's value as every screen shows it: references by name, tags as badges, json as code. */
export function Value({ field, value, labels, timeZone }: { field: Field; value: unknown; labels?: Labels; timeZone: string }) {
  if (value === null || value === undefined) return <span className="text-faint">{EMPTY}</span>;
  if (field.kind === "reference") {
    const label = labels?.[field.prop]?.get(String(value));
    return (
      <span>
        {label ?? `#${String(value)}`}
        {label ? <span className="ml-1 text-xs text-faint">#{String(value)}</span> : null}
      </span>
    );
  }
  if (field.kind === "tags") {
    const tags = value as string[];
    if (tags.length === 0) return <span className="text-faint">{EMPTY}</span>;
    return (
      <span className="inline-flex flex-wrap gap-1">
        {tags.map((tag) => (
          <Badge key={tag}>{tag}</Badge>
        ))}
      </span>
    );
  }
  if (field.kind === "json") {
    return <code className="rounded bg-slate-50 px-1 py-0.5 font-mono text-xs break-words text-ink">{JSON.stringify(value)}</code>;
  }
  return <span>{formatValue(field, value, timeZone)}</span>;
}
