/**
 * The run's report: one markdown table (each figure beside its baseline and the ratio), and
 * bench/RESULTS.md, where each kind of run (the library's, the app's) owns one section and the
 * hand-written notes at the end are kept.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Result } from "./context";
import { fmt } from "./stats";

const cell = (text: string) => text.replace(/\|/g, "\\|");

function table(header: string[], right: number[], rows: string[][]): string {
  return [header, header.map((_, i) => (right.includes(i) ? "---:" : "---")), ...rows]
    .map((row) => `| ${row.map(cell).join(" | ")} |`)
    .join("\n");
}

/**
 * The run's markdown: one table of every figure beside its baseline (same run, same database) and
 * the ratio; then, when the peers ran, a table of our figures beside each peer's.
 */
export function markdown(results: Result[]): string {
  const ours = results.filter((r) => !r.section);
  const peers = results.filter((r) => r.section === "peers");
  const main = table(
    ["figure", "size", "median", "p95", "p99", "unit", "baseline (no history)", "baseline median", "ratio", "target", "status", "note"],
    [2, 3, 4, 7, 8],
    ours.map((r) => [
      r.case,
      r.size,
      fmt(r.median),
      fmt(r.p95),
      r.p99 === undefined ? "" : fmt(r.p99),
      r.unit,
      r.baseline?.label ?? "",
      r.baseline ? `${fmt(r.baseline.median)} ${r.baseline.unit}` : "",
      r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`,
      r.target ?? "",
      r.status ?? "",
      r.note ?? "",
    ]),
  );
  if (peers.length === 0) return main;
  const heading = "#### Beside the peers (same tables, same data, same run; bench/cases/peers.ts)";
  const beside = table(
    ["figure", "size", "ours (median)", "ours p95", "unit", "peer", "peer median", "ours / peer", "target", "status", "note"],
    [2, 3, 6, 7],
    peers.map((r) => [
      r.case,
      r.size,
      fmt(r.median),
      fmt(r.p95),
      r.unit,
      r.baseline?.label ?? "",
      r.baseline ? fmt(r.baseline.median) : "",
      r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`,
      r.target ?? "",
      r.status ?? "",
      r.note ?? "",
    ]),
  );
  return `${ours.length > 0 ? `${main}\n\n` : ""}${heading}\n\n${beside}`;
}

const NOTES_MARK = "<!-- notes: kept across runs -->";
const SECTIONS = ["library", "app"] as const;
export type Section = (typeof SECTIONS)[number];

const begin = (section: Section) => `<!-- run: ${section} -->`;
const end = (section: Section) => `<!-- end: ${section} -->`;

/** Rewrites this run's section of bench/RESULTS.md; the other section and the notes stay as they were. */
export function writeResults(section: Section, body: string): string {
  const path = join(dirname(fileURLToPath(import.meta.url)), "RESULTS.md");
  const previous = existsSync(path) ? readFileSync(path, "utf8") : "";
  const notes = previous.includes(NOTES_MARK) ? previous.slice(previous.indexOf(NOTES_MARK)) : `${NOTES_MARK}\n`;
  const kept = (s: Section) => {
    if (s === section) return `${begin(s)}\n${body.trim()}\n${end(s)}`;
    const from = previous.indexOf(begin(s));
    const to = previous.indexOf(end(s));
    return from >= 0 && to > from ? previous.slice(from, to + end(s).length) : `${begin(s)}\n(not run yet)\n${end(s)}`;
  };
  const text = `# Benchmark results

Written by \`npm run bench\` (the library's workloads) and \`npm run bench -- --app\` (the app's data set: 100,000
members with 2,000,000 history rows, the reads on it and the app's pages), each a full run against Postgres; each
rewrites its own section, and the notes at the end are kept across runs.

Each figure sits beside the same work without history (same run, same database); the ratio is temporal time /
baseline time, and the targets are on the ratios where the issue sets one.

${SECTIONS.map(kept).join("\n\n")}

${notes}`;
  writeFileSync(path, text);
  return path;
}
