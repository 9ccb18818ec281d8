/**
 * Typed errors. Every failure the library can foresee has its own class with a
 * stable `code`; messages say what to do next. Errors raised by the database
 * triggers carry SQLSTATEs in the private class `TM` and are mapped back here,
 * so a raw `UPDATE` in psql and a helper call fail with the same words.
 */

export type TemporalErrorCode =
  | "MISSING_ACTIVITY"
  | "INVALID_ACTIVITY"
  | "BACKDATE_ORDER"
  | "FUTURE_TICK"
  | "STALE_VCLOCK"
  | "NOT_FOUND"
  | "UNKNOWN_PROPERTY"
  | "INVALID_KEY"
  | "INVALID_VALUE"
  | "CONSTRAINT_VIOLATION"
  | "RETIRED"
  | "ALREADY_RETIRED"
  | "NOT_RETIRED"
  | "DELETE_REFUSED"
  | "HISTORY_IMMUTABLE"
  | "KEY_CHANGE_REFUSED"
  | "VCLOCK_MANAGED"
  | "REVERT_CONFLICT"
  | "WRITE_CONFLICT"
  | "CONNECTION_LOST"
  | "INVALID_ARGUMENT"
  | "DEFINITION"
  | "DATABASE";

const inspect = Symbol.for("nodejs.util.inspect.custom");

function summarize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 5 ? `[${value.length} items]` : value.map(summarize);
  if (typeof value === "string" && value.length > 200) return `${value.slice(0, 200)}… (${value.length} chars)`;
  return value;
}

export class TemporalError extends Error {
  readonly code: TemporalErrorCode;
  /** The SQL that failed, when the failure came from the database (for logs, never for end users). */
  readonly query?: string;
  readonly params?: unknown[];

  constructor(code: TemporalErrorCode, message: string, options?: { cause?: unknown; query?: string; params?: unknown[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.query = options?.query;
    this.params = options?.params;
  }

  /** Logs stay readable: the SQL and a summary of its parameters, not megabytes of bulk input. */
  [inspect](): string {
    const query = this.query ? `\n  query: ${this.query.length > 600 ? `${this.query.slice(0, 600)}…` : this.query}` : "";
    const params = this.params ? `\n  params: ${JSON.stringify(this.params.map(summarize))}` : "";
    return `${this.name} [${this.code}]: ${this.message}${query}${params}\n${this.stack?.split("\n").slice(1, 6).join("\n") ?? ""}`;
  }
}

type DbContext = { cause?: unknown; query?: string; params?: unknown[] };

/** A write to a temporal table ran without an activity (reason + actor). */
export class MissingActivityError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super(
      "MISSING_ACTIVITY",
      message ??
        "This write has no activity. Wrap it in withActivity(db, { reason, actor }, async (tx) => ...) so it is recorded with who and why.",
      ctx,
    );
  }
}

/** The activity itself is unusable: blank reason or actor, text too long, a moment in the future. */
export class InvalidActivityError extends TemporalError {
  readonly field: "reason" | "actor" | "actorName" | "source" | "kind" | "at";
  constructor(field: InvalidActivityError["field"], message: string, ctx?: DbContext) {
    super("INVALID_ACTIVITY", message, ctx);
    this.field = field;
  }
}

/** A back-dated activity would place a tick at or before the entity's previous tick. */
export class BackdateOrderError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super(
      "BACKDATE_ORDER",
      message ??
        "A back-dated activity must be later than the last change of every record it touches. Import history in time order, one activity per moment.",
      ctx,
    );
  }
}

/**
 * The record's last tick is recorded later than the server's clock now (written with a forged or wrong
 * clock, before activities were stamped by the server): a new tick cannot follow it. Nothing was written.
 */
export class FutureTickError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super(
      "FUTURE_TICK",
      message ??
        "This record's last change is recorded at a moment later than now, so a new change cannot follow it. Find such ticks with verify(db, table).",
      ctx,
    );
  }
}

/** The record changed since the caller loaded it: nothing was written. */
export class StaleVclockError<Row = Record<string, unknown>> extends TemporalError {
  readonly expectedVclock: number;
  readonly currentVclock: number;
  /** The record as it is now, so a form can show the newer values side by side. */
  readonly current: Row;
  constructor(expectedVclock: number, currentVclock: number, current: Row) {
    super(
      "STALE_VCLOCK",
      `This record changed since it was loaded (you had version ${expectedVclock}, it is now at version ${currentVclock}). Nothing was saved: review the newer values and apply your edit again.`,
    );
    this.expectedVclock = expectedVclock;
    this.currentVclock = currentVclock;
    this.current = current;
  }
}

export class NotFoundError extends TemporalError {
  readonly table: string;
  readonly key: unknown;
  constructor(table: string, key: unknown, what = "record") {
    super("NOT_FOUND", `No ${what} in "${table}" with key ${JSON.stringify(key)}. Check the key.`);
    this.table = table;
    this.key = key;
  }
}

export class UnknownPropertyError extends TemporalError {
  readonly table: string;
  readonly property: string;
  constructor(table: string, property: string, allowed: readonly string[], what = "property") {
    super("UNKNOWN_PROPERTY", `"${property}" is not a ${what} of "${table}". Use one of: ${allowed.join(", ")}.`);
    this.table = table;
    this.property = property;
  }
}

export class InvalidKeyError extends TemporalError {
  constructor(message: string) {
    super("INVALID_KEY", message);
  }
}

/** A value the column cannot hold (wrong type, too long, null in a NOT NULL column). */
export class InvalidValueError extends TemporalError {
  readonly column?: string;
  constructor(message: string, column?: string, ctx?: DbContext) {
    super("INVALID_VALUE", message, ctx);
    this.column = column;
  }
}

/** A unique, foreign-key or check constraint refused the write. */
export class ConstraintViolationError extends TemporalError {
  readonly constraint?: string;
  constructor(message: string, constraint?: string, ctx?: DbContext) {
    super("CONSTRAINT_VIOLATION", message, ctx);
    this.constraint = constraint;
  }
}

export class RetiredError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super("RETIRED", message ?? "This record is retired: restore it before changing its values.", ctx);
  }
}

export class AlreadyRetiredError extends TemporalError {
  constructor(table: string, key: unknown) {
    super("ALREADY_RETIRED", `The record ${JSON.stringify(key)} in "${table}" is already retired.`);
  }
}

export class NotRetiredError extends TemporalError {
  constructor(table: string, key: unknown) {
    super("NOT_RETIRED", `The record ${JSON.stringify(key)} in "${table}" is not retired, so there is nothing to restore.`);
  }
}

export class DeleteRefusedError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super("DELETE_REFUSED", message ?? "Temporal records are never deleted: use retire(db, table, key, activity) instead.", ctx);
  }
}

export class HistoryImmutableError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super(
      "HISTORY_IMMUTABLE",
      message ??
        "History, clock and activity rows are append-only and written only by the capture triggers. Change the record itself inside withActivity instead.",
      ctx,
    );
  }
}

export class KeyChangeRefusedError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super(
      "KEY_CHANGE_REFUSED",
      message ?? "The key of a temporal record cannot change: its history is filed under it. Create a new record instead.",
      ctx,
    );
  }
}

export class VclockManagedError extends TemporalError {
  constructor(message?: string, ctx?: DbContext) {
    super(
      "VCLOCK_MANAGED",
      message ?? "vclock and retired are managed by the library: insert new records without them and use retire/restore.",
      ctx,
    );
  }
}

export type RevertConflict = {
  table: string;
  key: Record<string, unknown>;
  property: string;
  /** The later tick that changed the same property. */
  changedAtVclock: number;
  activityId: string;
};

export class RevertConflictError extends TemporalError {
  readonly conflicts: RevertConflict[];
  constructor(conflicts: RevertConflict[]) {
    const list = conflicts
      .map((c) => `${c.table} ${JSON.stringify(c.key)}.${c.property} (changed again at version ${c.changedAtVclock})`)
      .join("; ");
    super(
      "REVERT_CONFLICT",
      `Later changes touched the same properties: ${list}. Nothing was reverted. Review them, then pass { force: true } to overwrite them.`,
    );
    this.conflicts = conflicts;
  }
}

/** Two transactions got in each other's way (deadlock or serialization failure): nothing was written; retry. */
export class WriteConflictError extends TemporalError {
  constructor(message: string, ctx?: DbContext) {
    super("WRITE_CONFLICT", `${message} Nothing was written: try again.`, ctx);
  }
}

/**
 * The connection to the database was lost during a call. `outcome` says what is certain: `"not-written"` when it went
 * before COMMIT was sent (Postgres rolls the transaction back: nothing was written), `"unknown"` when it went while a
 * COMMIT (or a single statement, which commits by itself) was in flight.
 */
export class ConnectionLostError extends TemporalError {
  readonly outcome: "not-written" | "unknown";
  constructor(outcome: ConnectionLostError["outcome"], ctx?: DbContext) {
    super(
      "CONNECTION_LOST",
      outcome === "not-written"
        ? "The connection to the database was lost before the transaction committed: nothing was written. Try again."
        : "The connection to the database was lost while the write was committing, so whether it was written is unknown. Read the record again before retrying.",
      ctx,
    );
    this.outcome = outcome;
  }
}

export class InvalidArgumentError extends TemporalError {
  constructor(message: string) {
    super("INVALID_ARGUMENT", message);
  }
}

/** A temporalTable declaration the library cannot build. Thrown at import time. */
export class TemporalDefinitionError extends TemporalError {
  constructor(message: string) {
    super("DEFINITION", message);
  }
}

/** An unexpected database failure, with the SQL and parameters kept for the log. */
export class TemporalDatabaseError extends TemporalError {
  readonly sqlState?: string;
  constructor(message: string, sqlState: string | undefined, ctx: DbContext) {
    super("DATABASE", message, ctx);
    this.sqlState = sqlState;
  }
}
