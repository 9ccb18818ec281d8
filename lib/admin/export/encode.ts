/**
 * The bytes of an export: CSV (RFC 4180) or a JSON array, written
 * batch by batch into a ReadableStream that asks for the next batch only when the last
 * one has been read, so memory holds one batch whatever the export's length. Pure: the
 * rows come from an async iterable of batches (the library's keyset batches).
 */
import { createHash } from "node:crypto";

export type ExportFormat = "csv" | "json";

/** How one item (an activity, a tick) is written: one or more CSV records, one JSON value. */
export type RowWriter<T> = {
  /** The CSV header, in column order. */
  columns: readonly string[];
  /** The CSV records of an item (a tick with three changes is three records), cells in column order. */
  csv: (item: T) => unknown[][];
  /** The item as a JSON value (`undefined` properties are left out). */
  json: (item: T) => unknown;
  /** The moment the item is about, for the time range a manifest reports. */
  moment: (item: T) => Date;
};

/** What a stream has written so far; final once the stream has closed. */
export type Tally = { items: number; rows: number; bytes: number; earliest: Date | null; latest: Date | null };

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** A value as the text of a CSV cell: nothing for null and undefined, ISO 8601 UTC for moments, JSON for lists and objects. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, jsonReplacer);
}

/**
 * A spreadsheet runs a cell starting with =, +, -, @, tab or CR (or the full-width =, +, -, @)
 * as a formula: such a cell gets a `'` before it, so the spreadsheet shows the text instead.
 * Every cell is text by then, so a negative number is escaped like any other cell starting with "-".
 */
const FORMULA_START = /^[-=+@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** RFC 4180: a field holding a quote, a comma or any line break (CR, LF, or both) is quoted, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;

/** One field of a CSV record. */
export function csvField(text: string): string {
  const value = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The CSV text of some records (each cell through csvCell), with the header row first when
 * `header`: RFC 4180, every record ending in CRLF. The same bytes as csv-stringify 6.9 with
 * `record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true, eof: true`
 * (which the exports used before; a test holds the two equal), written by hand because that
 * library allocated about 7 KB per 11-cell record, and on a 100,000-row export the garbage
 * made the server's memory grow by up to 130 MB (bench/RESULTS.md).
 */
export function csvText(columns: readonly string[], records: unknown[][], header: boolean): string {
  let text = header ? `${columns.map(csvField).join(",")}\r\n` : "";
  for (const record of records) {
    let line = "";
    for (let i = 0; i < record.length; i++) line += (i === 0 ? "" : ",") + csvField(csvCell(record[i]));
    text += `${line}\r\n`;
  }
  return text;
}

/** One JSON value on one line (bigints as strings, moments as ISO 8601 UTC). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, jsonReplacer);
}

type Parts<T> = { head: string; batch: (items: T[], first: boolean) => string; tail: string };

function partsOf<T>(format: ExportFormat, writer: RowWriter<T>, tally: Tally): Parts<T> {
  if (format === "csv") {
    return {
      head: csvText(writer.columns, [], true),
      batch: (items) => {
        const records = items.flatMap(writer.csv);
        tally.rows += records.length;
        return csvText(writer.columns, records, false);
      },
      tail: "",
    };
  }
  // A JSON array, one element per line: `[`, the elements separated by `,` + newline, `]`.
  return {
    head: "[",
    batch: (items, first) => {
      tally.rows += items.length;
      return items.map((item, i) => `${first && i === 0 ? "\n" : ",\n"}${jsonText(writer.json(item))}`).join("");
    },
    tail: "\n]\n",
  };
}

function count<T>(writer: RowWriter<T>, items: T[], tally: Tally): void {
  tally.items += items.length;
  for (const item of items) {
    const at = writer.moment(item);
    if (!tally.earliest || at < tally.earliest) tally.earliest = at;
    if (!tally.latest || at > tally.latest) tally.latest = at;
  }
}

/**
 * The export as a byte stream: the head, one chunk per batch (pulled only when the reader
 * wants more), the tail. `tally` counts what was written; it is final when the stream closes.
 * Cancelling the stream (the client went away) stops the batches, so no further query runs.
 *
 * @example
 * const { stream } = exportStream("csv", activityBatches(db, filter), activityWriter(tables));
 * return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8" } });
 */
export function exportStream<T>(
  format: ExportFormat,
  batches: AsyncIterator<T[]>,
  writer: RowWriter<T>,
): { stream: ReadableStream<Uint8Array>; tally: Tally } {
  const tally: Tally = { items: 0, rows: 0, bytes: 0, earliest: null, latest: null };
  const parts = partsOf(format, writer, tally);
  const encoder = new TextEncoder();
  let started = false;
  let first = true;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const enqueue = (text: string) => {
          if (text === "") return;
          const bytes = encoder.encode(text);
          tally.bytes += bytes.byteLength;
          controller.enqueue(bytes);
        };
        if (!started) {
          started = true;
          enqueue(parts.head);
          return;
        }
        const next = await batches.next();
        if (next.done) {
          enqueue(parts.tail);
          controller.close();
          return;
        }
        count(writer, next.value, tally);
        enqueue(parts.batch(next.value, first));
        first = false;
      },
      async cancel() {
        await batches.return?.(undefined);
      },
    },
    // Nothing is read ahead of the reader: each batch is queried when its bytes are asked for.
    { highWaterMark: 0 },
  );
  return { stream, tally };
}

/** Reads a stream to its end, returning the SHA-256 (hex) of its bytes and how many there were. */
export async function digest(stream: ReadableStream<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest("hex"), bytes };
}
