/** The types of the write helpers: a table's rows, the changes a tick takes, and what a tick returns. */
import type { KeyInput } from "./values";
import type { AnyTemporalTable } from "./table";

export type Row<T extends AnyTemporalTable> = T["$inferSelect"];
export type NewRow<T extends AnyTemporalTable> = Omit<T["$inferInsert"], "vclock" | "retired">;
export type Changes<T extends AnyTemporalTable> = Partial<Omit<Row<T>, "vclock" | "retired">>;
export type TrackedOf<T extends AnyTemporalTable> = T["$temporal"]["tracked"][number];

export type TickResult<T extends AnyTemporalTable> = {
  /** The record's version after the call (unchanged when nothing tracked changed). */
  vclock: number;
  /** The tracked properties whose value changed. Empty for a no-op. */
  changed: TrackedOf<T>[];
  row: Row<T>;
};

export type TickManyEntry<T extends AnyTemporalTable> = {
  key: KeyInput;
  changes: Changes<T>;
  expectedVclock?: number;
};
