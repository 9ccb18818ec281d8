/**
 * Keyset batches over the cursor-paged reads, for exports: each batch is one query of at
 * most `batchSize` rows that starts where the last one ended (by id or vclock, never by
 * offset), so a listing of any length is read in bounded memory and no row is read twice.
 */
import type { TemporalDb } from "./db";
import { InvalidArgumentError } from "./errors";
import { listActivities, type ActivityFilter, type ActivitySummary } from "./activity-log";
import type { AnyTemporalTable } from "./table";
import { timeline, type TimelineEntry } from "./timeline";
import type { KeyInput } from "./values";

export type BatchOptions = {
  /** Rows per query, 1 to 1000; 1000 when left out. */
  batchSize?: number;
};

function checkBatchSize(options: BatchOptions): number {
  const size = options.batchSize ?? 1000;
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw new InvalidArgumentError("batchSize must be a whole number from 1 to 1000.");
  return size;
}

/** Pages of `read` from the first cursor until it returns no next one; empty pages are not yielded. */
async function* pages<T, C>(read: (cursor: C | null) => Promise<{ items: T[]; nextCursor: C | null }>): AsyncGenerator<T[]> {
  let cursor: C | null = null;
  do {
    const page = await read(cursor);
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/**
 * The whole filtered activity log, newest first, in batches (what `listActivities` pages
 * through, every page). Checks its arguments before the first query.
 *
 * @example
 * for await (const batch of activityBatches(db, { actor: "ops@clover", recordedBefore: until })) write(batch);
 */
export function activityBatches(
  db: TemporalDb,
  filter: Omit<ActivityFilter, "limit" | "cursor"> = {},
  options: BatchOptions & { tables?: AnyTemporalTable[] } = {},
): AsyncGenerator<ActivitySummary[]> {
  const limit = checkBatchSize(options);
  return pages<ActivitySummary, string>((cursor) => listActivities(db, { ...filter, limit, cursor }, { tables: options.tables }));
}

/**
 * Every tick of a record, newest first, in batches (what `timeline` pages through, every page).
 *
 * @example
 * for await (const batch of timelineBatches(db, friend, 2, { recordedBefore: until })) write(batch);
 */
export function timelineBatches<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  options: BatchOptions & { recordedBefore?: Date } = {},
): AsyncGenerator<TimelineEntry[]> {
  const limit = checkBatchSize(options);
  return pages<TimelineEntry, number>((cursor) => timeline(db, table, key, { limit, cursor, recordedBefore: options.recordedBefore }));
}
