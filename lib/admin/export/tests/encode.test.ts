/**
 * The export's bytes without a database: RFC 4180 CSV (quotes doubled, CRLF, line breaks
 * quoted, a header even when empty), spreadsheet formulas neutralised, a JSON array, and a
 * stream that reads one batch per read and stops its batches when cancelled.
 */
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvText, digest, exportStream, type RowWriter } from "../encode";
import { readCsv } from "./csv-reader";

type Item = { id: number; text: unknown; at: Date };
const writer: RowWriter<Item> = {
  columns: ["id", "text"],
  csv: (item) => [[item.id, item.text]],
  json: (item) => ({ id: item.id, text: item.text }),
  moment: (item) => item.at,
};
const day = (n: number) => new Date(Date.UTC(2026, 0, n));

/** Batches that note each one handed out, and whether they were stopped. */
function batchesOf(batches: Item[][]) {
  const log = { pulled: 0, stopped: false };
  async function* generate() {
    try {
      for (const batch of batches) {
        log.pulled += 1;
        yield batch;
      }
    } finally {
      log.stopped = true;
    }
  }
  return { iterator: generate(), log };
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("CSV cells", () => {
  it("writes values as text: empty for null and undefined, ISO 8601 UTC for moments, JSON for lists and objects", () => {
    expect([null, undefined, "", "plain", 42, -1.5, 12n, true, false].map(csvCell)).toEqual([
      "",
      "",
      "",
      "plain",
      "42",
      "-1.5",
      "12",
      "true",
      "false",
    ]);
    expect(csvCell(new Date("2026-12-03T07:12:05.123+01:00"))).toBe("2026-12-03T06:12:05.123Z");
    expect(csvCell(["a", "b"])).toBe('["a","b"]');
    expect(csvCell({ big: 1n, n: null })).toBe('{"big":"1","n":null}');
  });

  it("puts a ' before a cell starting with =, +, -, @, tab or CR, and leaves the rest alone", () => {
    const cells = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")', "a=b", " =1", "'quoted", "１", "＝1"];
    const [header, row] = readCsv(
      csvText(
        cells.map((_, i) => `c${i}`),
        [cells],
        true,
      ),
    );
    expect(header).toEqual(cells.map((_, i) => `c${i}`));
    expect(row).toEqual([
      "'=1+2",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      '\'=HYPERLINK("http://x")',
      "a=b",
      " =1",
      "'quoted",
      "１",
      "'＝1",
    ]);
    // A negative number is a cell starting with "-" too: every cell is text by the time it is written.
    expect(csvText(["n"], [[-3]], false)).toBe("'-3\r\n");
  });

  it("doubles quotes, quotes fields with commas and every kind of line break, and ends each record with CRLF", () => {
    const cells = ['say "hi"', "a,b", "one\ntwo", "one\rtwo", "one\r\ntwo", "", "plain"];
    const written = csvText(["a", "b", "c", "d", "e", "f", "g"], [cells], false);
    expect(written).toBe('"say ""hi""","a,b","one\ntwo","one\rtwo","one\r\ntwo",,plain\r\n');
    expect(readCsv(written)).toEqual([cells]);
  });

  it("writes the same bytes as csv-stringify did with the options the exports used, so an earlier manifest still matches", () => {
    // The characters that decide quoting and formula escaping, and some that do not, in every position.
    const unit = fc.constantFrom(
      '"',
      ",",
      "\r",
      "\n",
      "=",
      "+",
      "-",
      "@",
      "\t",
      "'",
      " ",
      "a",
      "0",
      "\uFF1D",
      "\uFF0B",
      "\uFF0D",
      "\uFF20",
      "é",
      "😀",
    );
    const records = fc.sample(fc.array(fc.string({ unit, maxLength: 6 }), { minLength: 1, maxLength: 5 }), { numRuns: 2000, seed: 42 });
    records.push(["", ""], ["-1", "=1", "\r\n"], [" =1", "x\r", "\ry"]);
    const columns = ["id", "at", "reason", "d", "e"];
    const used = { record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true, eof: true } as const;
    expect(csvText(columns, records, false)).toBe(stringify(records, used));
    const withHeader = stringify(records, {
      ...used,
      header: true,
      columns: columns.map((_, i) => ({ key: String(i), header: columns[i]! })),
    });
    expect(csvText(columns, [], true) + csvText(columns, records, false)).toBe(withHeader);
  });

  it("writes the header row alone for no records", () => {
    expect(csvText(["id", "text"], [], true)).toBe("id,text\r\n");
    expect(csvText(["id", "text"], [], false)).toBe("");
  });
});

describe("exportStream", () => {
  const items = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: from + i, text: `row ${from + i}`, at: day(from + i) }));

  it("writes the header, then each batch, and counts items, rows, bytes and the moments covered", async () => {
    const { iterator } = batchesOf([items(1, 2), items(3, 2), items(5, 1)]);
    const { stream, tally } = exportStream("csv", iterator, writer);
    const body = await text(stream);
    const records = readCsv(body);
    expect(records[0]).toEqual(["id", "text"]);
    expect(records.slice(1)).toEqual(items(1, 5).map((i) => [String(i.id), i.text]));
    expect(tally).toEqual({ items: 5, rows: 5, bytes: Buffer.byteLength(body), earliest: day(1), latest: day(5) });
  });

  it("counts a CSV record per row an item writes", async () => {
    const twice: RowWriter<Item> = {
      ...writer,
      csv: (item) => [
        [item.id, "first"],
        [item.id, "second"],
      ],
    };
    const { iterator } = batchesOf([items(1, 3)]);
    const { stream, tally } = exportStream("csv", iterator, twice);
    expect(readCsv(await text(stream))).toHaveLength(1 + 6);
    expect(tally.rows).toBe(6);
    expect(tally.items).toBe(3);
  });

  it("writes a JSON array, one element per line, and [ ] for nothing", async () => {
    const { iterator } = batchesOf([items(1, 2), items(3, 1)]);
    const { stream, tally } = exportStream("json", iterator, writer);
    const body = await text(stream);
    expect(body).toBe('[\n{"id":1,"text":"row 1"},\n{"id":2,"text":"row 2"},\n{"id":3,"text":"row 3"}\n]\n');
    expect(JSON.parse(body)).toHaveLength(3);
    expect(tally.rows).toBe(3);
    const empty = exportStream("json", batchesOf([]).iterator, writer);
    expect(await text(empty.stream)).toBe("[\n]\n");
    expect(empty.tally).toEqual({ items: 0, rows: 0, bytes: 4, earliest: null, latest: null });
    const emptyCsv = exportStream("csv", batchesOf([]).iterator, writer);
    expect(await text(emptyCsv.stream)).toBe("id,text\r\n");
  });

  it("asks for a batch only when the reader wants more, and stops the batches when cancelled", async () => {
    const { iterator, log } = batchesOf([items(1, 2), items(3, 2), items(5, 2)]);
    const { stream } = exportStream("csv", iterator, writer);
    const reader = stream.getReader();
    // Nothing read yet: nothing queried.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.pulled).toBe(0);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("id,text\r\n");
    expect(log.pulled).toBe(0);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("1,row 1\r\n2,row 2\r\n");
    expect(log.pulled).toBe(1);
    await reader.cancel();
    expect(log.stopped).toBe(true);
    expect(log.pulled).toBe(1);
  });

  it("fails the stream when a batch fails, so a cut-short file is never a complete-looking one", async () => {
    async function* failing() {
      yield items(1, 1);
      throw new Error("the database went away");
    }
    const { stream } = exportStream("json", failing(), writer);
    await expect(text(stream)).rejects.toThrow("the database went away");
  });

  it("digests a stream: the SHA-256 and length of exactly its bytes", async () => {
    const { iterator } = batchesOf([items(1, 3)]);
    const body = await text(exportStream("csv", batchesOf([items(1, 3)]).iterator, writer).stream);
    const { sha256, bytes } = await digest(exportStream("csv", iterator, writer).stream);
    expect(sha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(bytes).toBe(Buffer.byteLength(body));
  });
});
