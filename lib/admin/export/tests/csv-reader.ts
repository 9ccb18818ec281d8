/**
 * A strict RFC 4180 reader, for the export tests only: CRLF between records, fields quoted
 * with `"` and quotes doubled inside, anything else refused. It reads what an export wrote,
 * so a test checks the bytes by parsing them back rather than by matching strings.
 */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`Not RFC 4180 at offset ${i}: ${what}`);
  };
  while (i < text.length) {
    if (text[i] === '"') {
      if (field !== "") fail("a quote inside an unquoted field");
      i += 1;
      for (;;) {
        if (i >= text.length) fail("an unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i];
        i += 1;
      }
      if (i < text.length && text[i] !== "," && text[i] !== "\r") fail("text after a closing quote");
      continue;
    }
    if (text[i] === ",") {
      record.push(field);
      field = "";
      i += 1;
      continue;
    }
    if (text[i] === "\r") {
      if (text[i + 1] !== "\n") fail("a CR that does not end a record, outside quotes");
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
      continue;
    }
    if (text[i] === "\n") fail("an LF outside quotes (records end with CRLF)");
    field += text[i];
    i += 1;
  }
  if (field !== "" || record.length > 0) fail("a last record without its CRLF");
  return records;
}
