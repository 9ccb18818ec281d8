/**
 * The timelines of a record's properties, as the record and history pages draw them:
 * bands reduced in the database to what the width can show (lib/temporal `lanes`),
 * placed on one time axis, with the labels their references need.
 */
import "server-only";
import { readDatabase } from "@/db/client";
import { lanes, type LaneBand } from "@temporal-records/drizzle";
import { referenceLabels } from "./queries";
import type { AdminTable, Field } from "./registry";
import type { Labels, Row } from "./types";

/** Bands per lane on the record page: about one per 8 pixels of a desktop lane. */
export const LANE_SLOTS = 100;

export type PlacedBand = LaneBand & { until: Date; left: number; width: number };
export type PlacedLane = { field: Field; bands: PlacedBand[]; reduced: boolean; values: number; numeric: boolean };
export type Timelines = { from: Date; to: Date; lanes: PlacedLane[]; labels: Labels };

const NUMERIC_KINDS = new Set(["integer", "decimal", "money"]);

/** Percent of the window, rounded to what a screen can show. */
const percent = (ms: number, span: number) => Math.round((ms / span) * 10_000) / 100;

export async function loadTimelines(
  admin: AdminTable,
  key: Record<string, unknown>,
  options: { from?: Date; to?: Date; properties?: string[]; slots?: number } = {},
): Promise<Timelines> {
  const fields = admin.fields.filter((f) => (f.tracked || f.prop === "retired") && f.prop !== "vclock");
  const wanted = options.properties ?? fields.map((f) => f.prop);
  return readDatabase(async (db) => {
    const read = await lanes(db, admin.table, key, {
      from: options.from,
      to: options.to,
      slots: options.slots ?? LANE_SLOTS,
      properties: wanted,
    });
    const to = options.to ?? new Date();
    const starts = read.flatMap((l) => l.bands.map((b) => b.from.getTime()));
    const from = options.from ?? new Date(starts.length ? Math.min(...starts) : to.getTime() - 1);
    const span = Math.max(to.getTime() - from.getTime(), 1);
    const placed = read.map((lane) => {
      const field = fields.find((f) => f.prop === lane.property)!;
      const bands = lane.bands.map((band, i) => {
        const until = lane.bands[i + 1]?.from ?? to;
        return {
          ...band,
          until,
          left: percent(band.from.getTime() - from.getTime(), span),
          width: Math.max(percent(until.getTime() - band.from.getTime(), span), 0.3),
        };
      });
      return { field, bands, reduced: lane.reduced, values: lane.values, numeric: NUMERIC_KINDS.has(field.kind) };
    });
    const rows: Row[] = placed.flatMap((l) => l.bands.map((b) => ({ [l.field.prop]: b.value })));
    return { from, to, lanes: placed, labels: await referenceLabels(db, admin, rows) };
  });
}
