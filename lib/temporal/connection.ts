/**
 * Transactions that survive a lost connection. node-postgres reports a connection that goes away as an `error`
 * event on its client, and a client checked out of a pg Pool has no listener for it, so the event crashed the
 * process. The library checks its own client out of a pool and listens on it until the client is back in the pool,
 * then says what is certain: nothing was written when the connection went before COMMIT was sent, and the outcome
 * is unknown when it went during the COMMIT.
 */
import { entityKind } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { isConnectionLoss, type TemporalDb } from "./db";
import { ConnectionLostError } from "./errors";

type Listener = (error: unknown) => void;
type Emitter = { on(event: "error", listener: Listener): unknown; removeListener(event: "error", listener: Listener): unknown };
type Pool = Emitter & { connect(): Promise<Emitter & { release(error?: unknown): void }>; totalCount: number };
/** What a transaction needs of Drizzle's node-postgres session (pinned version). PGlite has no connection to lose. */
type Session = {
  client: unknown;
  dialect: unknown;
  schema: unknown;
  options: unknown;
  transaction<T>(fn: (tx: TemporalDb) => Promise<T>): Promise<T>;
};

const isEmitter = (value: unknown): value is Emitter =>
  typeof (value as Partial<Emitter> | null)?.on === "function" && typeof (value as Emitter).removeListener === "function";
const isPool = (value: unknown): value is Pool =>
  isEmitter(value) && typeof (value as Partial<Pool>).connect === "function" && typeof (value as Partial<Pool>).totalCount === "number";
const isNodePg = (session: object) => (session.constructor as { [entityKind]?: string })[entityKind] === "NodePgSession";

/**
 * Runs `fn` in a transaction on `db` (a savepoint when `db` is one already) with an error listener on its
 * connection for as long as the transaction holds it. A lost connection is a ConnectionLostError; an error `fn`
 * threw itself stays as it was, even when the ROLLBACK after it found the connection gone.
 */
export async function transaction<T>(db: TemporalDb, fn: (tx: TemporalDb) => Promise<T>): Promise<T> {
  const session = (db as unknown as { session?: Session }).session;
  if (!session || !isNodePg(session) || !isEmitter(session.client)) return db.transaction(fn);
  const savepoint = db instanceof PgTransaction;
  let lost: unknown;
  let committing = false;
  let lostBeforeCommit = false;
  let failure: { error: unknown } | undefined;
  const listener: Listener = (error) => {
    lost ??= error;
    if (!committing) lostBeforeCommit = true;
  };
  const body = async (tx: TemporalDb) => {
    try {
      const result = await fn(tx);
      committing = true;
      return result;
    } catch (error) {
      failure = { error };
      throw error;
    }
  };
  const run = async (start: () => Promise<T>): Promise<T> => {
    try {
      return await start();
    } catch (error) {
      if (failure && !isConnectionLoss(failure.error)) throw failure.error;
      if (lost === undefined && !isConnectionLoss(error)) throw error;
      // A savepoint never commits by itself: whatever the connection took with it was never written.
      const unknown = committing && !lostBeforeCommit && !savepoint;
      throw new ConnectionLostError(unknown ? "unknown" : "not-written", { cause: lost ?? error });
    }
  };
  const client = session.client;
  if (!isPool(client) || savepoint) {
    client.on("error", listener);
    try {
      return await run(() => db.transaction(body));
    } finally {
      client.removeListener("error", listener);
    }
  }
  const held = await client.connect();
  held.on("error", listener);
  const Own = session.constructor as new (client: unknown, dialect: unknown, schema: unknown, options: unknown) => Session;
  try {
    return await run(() => new Own(held, session.dialect, session.schema, session.options).transaction(body));
  } finally {
    held.removeListener("error", listener);
    // A client whose connection was lost leaves the pool; the pool opens a new one when it needs it.
    held.release(lost);
  }
}
