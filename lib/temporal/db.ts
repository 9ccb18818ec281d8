import { createHash } from "node:crypto";
import { DrizzleQueryError, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { SQLSTATE } from "./ddl";
import {
  BackdateOrderError,
  ConnectionLostError,
  ConstraintViolationError,
  DeleteRefusedError,
  FutureTickError,
  HistoryImmutableError,
  InvalidActivityError,
  InvalidValueError,
  KeyChangeRefusedError,
  MissingActivityError,
  RetiredError,
  TemporalDatabaseError,
  TemporalError,
  VclockManagedError,
  WriteConflictError,
} from "./errors";

/**
 * Any Drizzle Postgres database or transaction: node-postgres, PGlite, or the `tx`
 * handed out by withActivity.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TemporalDb = PgDatabase<PgQueryResultHKT, any, any>;

type PgErrorLike = {
  code?: string;
  message: string;
  detail?: string;
  constraint?: string;
  column?: string;
  table?: string;
};

function unwrap(error: unknown): { pg?: PgErrorLike; query?: string; params?: unknown[] } {
  let current: unknown = error;
  let query: string | undefined;
  let params: unknown[] | undefined;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof DrizzleQueryError) {
      query = current.query;
      params = current.params;
    }
    const candidate = current as Partial<PgErrorLike> & { cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return { pg: candidate as PgErrorLike, query, params };
    }
    current = candidate.cause;
  }
  return { query, params };
}

/**
 * What a connection that went away mid-call looks like: the server ending it (terminated, crash, idle timeouts), a
 * reset socket, or node-postgres' own words for a closed connection. Not a connection that could not be opened.
 */
const LOST_CODES = new Set(["57P01", "57P02", "57P05", "25P03", "08006", "08003", "08000", "ECONNRESET", "EPIPE"]);
const LOST_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

/** Whether an error (or one of its causes) says the connection was lost during the call. */
export function isConnectionLoss(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && LOST_CODES.has(candidate.code)) return true;
    if (typeof candidate.message === "string" && LOST_MESSAGES.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}

const ACTIVITY_FIELDS = { reason: "reason", actor: "actor", actor_name: "actorName", source: "source", kind: "kind", at: "at" } as const;

/** Maps a database failure to the library's typed errors. Non-database errors pass through. */
export function translateError(error: unknown): unknown {
  if (error instanceof TemporalError) return error;
  const { pg, query, params } = unwrap(error);
  const ctx = { cause: error, query, params };
  // A lone statement commits by itself, so when its connection goes its outcome is unknown (a transaction knows more: connection.ts).
  if (isConnectionLoss(error)) return new ConnectionLostError("unknown", ctx);
  if (!pg?.code) return error;
  switch (pg.code) {
    case SQLSTATE.missingActivity:
      return new MissingActivityError(pg.message, ctx);
    case SQLSTATE.backdateOrder:
      return new BackdateOrderError(pg.message, ctx);
    case SQLSTATE.futureTick:
      return new FutureTickError(pg.message, ctx);
    case SQLSTATE.historyImmutable:
      return new HistoryImmutableError(pg.message, ctx);
    case SQLSTATE.deleteRefused:
      return new DeleteRefusedError(pg.message, ctx);
    case SQLSTATE.keyChange:
      return new KeyChangeRefusedError(pg.message, ctx);
    case SQLSTATE.vclockManaged:
      return new VclockManagedError(pg.message, ctx);
    case SQLSTATE.retired:
      return new RetiredError(pg.message, ctx);
    case "54000": {
      // A sortable property's value too large for a btree entry of its sort index (sortable.ts).
      const index = /^index row size \d+ exceeds .* for index "(.+_sort_idx)"$/.exec(pg.message)?.[1];
      if (index) {
        return new InvalidValueError(
          `A value is too large for the sort index ${index} of a sortable property (a btree entry holds about 2,700 bytes): store less, or leave the property out of sortable.`,
          undefined,
          ctx,
        );
      }
      return new TemporalDatabaseError(`The database failed: ${pg.message}`, pg.code, ctx);
    }
    case "40001":
    case "40P01":
      return new WriteConflictError("Another transaction changed the same records at the same time.", ctx);
    case "23505":
    case "23503":
    case "23P01":
      return new ConstraintViolationError(`The database refused the write: ${pg.detail ?? pg.message}`, pg.constraint, ctx);
    case "23514": {
      const match = /^temporal_activity_(\w+)_check$/.exec(pg.constraint ?? "");
      const field = match ? ACTIVITY_FIELDS[match[1] as keyof typeof ACTIVITY_FIELDS] : undefined;
      if (field) {
        const message =
          field === "at"
            ? "The activity's moment is in the future. Back-date with a past moment, or leave `at` out to use the server's clock."
            : `The activity's ${field} is blank or too long.`;
        return new InvalidActivityError(field, message, ctx);
      }
      return new ConstraintViolationError(`A check refused the value: ${pg.constraint ?? pg.message}.`, pg.constraint, ctx);
    }
    case "23502":
      return new InvalidValueError(`"${pg.column}" cannot be empty (null).`, pg.column, ctx);
    default:
      if (pg.code.startsWith("22") || pg.code === "42804") {
        return new InvalidValueError(`A value does not fit its column: ${pg.message}.`, pg.column, ctx);
      }
      return new TemporalDatabaseError(`The database failed: ${pg.message}`, pg.code, ctx);
  }
}

/** Runs `fn`, turning database failures into typed errors. */
export async function translated<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateError(error);
  }
}

/** What `db.execute` does inside Drizzle (pinned version), with a statement name. */
type Internals = {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      arrayMode: false,
    ): { execute(): Promise<unknown> };
  };
};

/**
 * Executes raw SQL and returns its rows, on node-postgres and PGlite alike.
 *
 * `prepared`: send it as a named statement, so each connection parses and plans it once.
 * Only for statements whose text has a bounded number of shapes (a table, a set of columns):
 * the hot one-record writes and reads, whose planning costs as much as their execution.
 * The name is a hash of the text, so a changed text is a new statement.
 */
export async function rows<T = Record<string, unknown>>(db: TemporalDb, query: SQL, options: { prepared?: boolean } = {}): Promise<T[]> {
  return translated(async () => {
    if (!options.prepared) {
      const result = (await db.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    }
    const { dialect, session } = db as unknown as Internals;
    const built = dialect.sqlToQuery(query);
    const name = `temporal_${createHash("sha1").update(built.sql).digest("base64url")}`;
    const result = (await session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] };
    return result.rows;
  });
}
