/**
 * One export, planned: what it reads (its batches), how it writes each row, and what names
 * it (scope, bound, filters). The same plan streams the file and, read once more and hashed,
 * its manifest, so the manifest's SHA-256 is of exactly the bytes the export sends.
 */
import { digest, exportStream, type ExportFormat, type RowWriter } from "./encode";

export type ExportPlan<T> = {
  kind: "activity" | "history";
  format: ExportFormat;
  /** The upper bound: only rows recorded before it. */
  until: Date;
  /** The file name's first part: `activity`, `member-42-history`. */
  scope: string;
  /** The route's path, and its query with every parameter that decides the bytes (until included, manifest left out). */
  path: string;
  query: URLSearchParams;
  /** The filters as the manifest reports them. */
  filters: Record<string, string | null>;
  /** The time window the filters ask for (the moments the rows are about), null where open. */
  window: { from: Date | null; to: Date | null };
  /** A fresh read of the rows each call, in keyset batches. */
  batches: () => AsyncGenerator<T[]>;
  writer: RowWriter<T>;
};

/** `2026-12-03T071205Z`: the bound, to the second, in UTC, with nothing a file system minds. */
export function fileStamp(moment: Date): string {
  return moment
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "");
}

/** Letters, digits, `_` and `-` only, so the name needs no quoting in a Content-Disposition header. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "record";
}

export function fileName(plan: Pick<ExportPlan<unknown>, "scope" | "until" | "format">): string {
  return `${plan.scope}-${fileStamp(plan.until)}.${plan.format}`;
}

/** The URL (path and query, on this app's origin) that returns this export's bytes again. */
export function exportUrl(plan: Pick<ExportPlan<unknown>, "path" | "query">): string {
  return `${plan.path}?${plan.query.toString()}`;
}

export type Manifest = {
  export: ExportPlan<unknown>["kind"];
  format: ExportFormat;
  filters: Record<string, string | null>;
  until: string;
  timeRange: { from: string | null; to: string | null; until: string; earliest: string | null; latest: string | null };
  rowCount: number;
  tickCount?: number;
  bytes: number;
  sha256: string;
  filename: string;
  url: string;
  generatedAt: string;
};

const iso = (moment: Date | null) => (moment ? moment.toISOString() : null);

/**
 * Reads the whole export once (batch by batch, nothing kept but the hash and the counts)
 * and describes it: `rowCount` is the CSV's records after the header or the JSON array's
 * elements; a history also counts its ticks (a CSV has a record per change).
 */
export async function buildManifest<T>(plan: ExportPlan<T>): Promise<Manifest> {
  const { stream, tally } = exportStream(plan.format, plan.batches(), plan.writer);
  const { sha256, bytes } = await digest(stream);
  const until = plan.until.toISOString();
  return {
    export: plan.kind,
    format: plan.format,
    filters: plan.filters,
    until,
    timeRange: { from: iso(plan.window.from), to: iso(plan.window.to), until, earliest: iso(tally.earliest), latest: iso(tally.latest) },
    rowCount: tally.rows,
    ...(plan.kind === "history" ? { tickCount: tally.items } : {}),
    bytes,
    sha256,
    filename: fileName(plan),
    url: exportUrl(plan),
    generatedAt: new Date().toISOString(),
  };
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
};

/** The export itself: streamed, as an attachment named by scope and bound, with its bound in a header. */
export function exportResponse<T>(plan: ExportPlan<T>): Response {
  const { stream } = exportStream(plan.format, plan.batches(), plan.writer);
  const manifest = new URLSearchParams(plan.query);
  manifest.set("manifest", "1");
  return new Response(stream, {
    headers: {
      "content-type": CONTENT_TYPES[plan.format],
      "content-disposition": `attachment; filename="${fileName(plan)}"`,
      "cache-control": "no-store",
      "x-export-until": plan.until.toISOString(),
      link: `<${plan.path}?${manifest.toString()}>; rel="describedby"; type="application/json"`,
    },
  });
}
