/**
 * The scale run's tables: each figure at each size, how much it grew from one size to the next,
 * its log-log slope (0: flat, 1: linear in the records), and, for a size the run's budget left
 * out, an estimate from the slope of the last two sizes measured (marked ≈). Then each figure's
 * ratio to the same work without history at each size, steadier than the times on a shared machine.
 */
import type { Result } from "../context";
import { count, fmt } from "../stats";

/** 10000 → "10k", 1000000 → "1M". */
export const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : count(n));

const cell = (text: string) => text.replace(/\|/g, "\\|");
const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;

/** The log-log slope between two sizes: the exponent b of value ∝ records^b. */
export const slope = (v1: number, v2: number, n1: number, n2: number) => Math.log(v2 / v1) / Math.log(n2 / n1);

type Series = { figure: string; unit: string; bySize: Map<number, Result> };

function series(results: Result[], measured: number[]): Series[] {
  const out = new Map<string, Series>();
  for (const r of results) {
    const records = measured.find((n) => r.size === `${sizeLabel(n)} records`);
    if (records === undefined) continue;
    const s = out.get(r.case) ?? { figure: r.case, unit: r.unit, bySize: new Map() };
    s.bySize.set(records, r);
    out.set(r.case, s);
  }
  return [...out.values()];
}

/** Figures at every size (measured, or ≈ extrapolated), with the growth between sizes and the slope. */
export function growthTable(results: Result[], sizes: number[], measured: number[]): string {
  const header = [
    "figure",
    "unit",
    ...sizes.map(sizeLabel),
    ...sizes.slice(1).map((n, i) => `× ${sizeLabel(sizes[i]!)}→${sizeLabel(n)}`),
    "slope",
  ];
  const lines = [row(header), row(header.map((_, i) => (i < 2 ? "---" : "---:")))];
  for (const s of series(results, measured)) {
    const have = measured.filter((n) => s.bySize.has(n));
    const last = have.at(-1)!;
    const prev = have.at(-2);
    const b = prev === undefined ? undefined : slope(s.bySize.get(prev)!.median, s.bySize.get(last)!.median, prev, last);
    const at = (n: number): { v: number; estimated: boolean } | undefined => {
      const r = s.bySize.get(n);
      if (r) return { v: r.median, estimated: false };
      if (b === undefined || n < last) return undefined;
      return { v: s.bySize.get(last)!.median * (n / last) ** b, estimated: true };
    };
    const values = sizes.map(at);
    const shown = values.map((x) => (x === undefined ? "" : `${x.estimated ? "≈ " : ""}${fmt(x.v)}`));
    const steps = sizes.slice(1).map((_, i) => {
      const [a, c] = [values[i], values[i + 1]];
      return a && c ? `${a.estimated || c.estimated ? "≈ " : ""}${(c.v / a.v).toFixed(2)}×` : "";
    });
    lines.push(row([s.figure, s.unit, ...shown, ...steps, b === undefined ? "" : b.toFixed(2)]));
  }
  return lines.join("\n");
}

/** Each figure that has a baseline: its ratio to the same work without history, at each size measured. */
export function ratioTable(results: Result[], measured: number[]): string {
  const header = ["figure", "against", ...measured.map(sizeLabel)];
  const lines = [row(header), row(header.map((_, i) => (i < 2 ? "---" : "---:")))];
  for (const s of series(results, measured)) {
    const first = [...s.bySize.values()].find((r) => r.baseline);
    if (!first) continue;
    const ratios = measured.map((n) => {
      const r = s.bySize.get(n);
      return r?.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`;
    });
    lines.push(row([s.figure, first.baseline!.label, ...ratios]));
  }
  return lines.join("\n");
}
