/**
 * Beside what a team would install instead (issue 12, item 1), each on its own copy of the same
 * table with the same rows, measured in the same run:
 *  (a) periods: SQL:2016 system versioning (the `periods` extension, Debian package
 *      postgresql-15-periods: whole-row copies in a history table, written by its C triggers);
 *  (b) a whole-row JSONB audit trigger (the audit.logged_actions / supa_audit pattern: an AFTER
 *      row trigger writes one row per changed row, the old and the new row as jsonb);
 *  (c) nearform's temporal_tables `versioning()` trigger (PL/pgSQL, version 1.2.1, copied into
 *      bench/peers/temporal-tables-versioning.sql with its MIT licence).
 * The friend table carries the one-property tick and the as-of read of one record by time; the
 * member-shaped table (ten tracked columns) the five-property tick, the bulk updates of every
 * row, a page of 50 as of a moment and the bytes per tick. Timed cases run interleaved (ours, then
 * each peer, in turn), so load on a shared machine falls on all alike. Every read is checked
 * against the value written, so the approaches are known to answer the same question.
 * Postgres only: on PGlite, and for a peer whose extension is missing, it prints what it skipped.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { and, getTableName, gte, lte, sql, type SQL } from "drizzle-orm";
import { asOf, createMany, tableAsOf, tick, tickMany, withActivity, type TickManyEntry } from "@temporal-records/drizzle";
import { against, latency, query, value, type Ctx, type Result } from "../context";
import { friendBench, memberBench } from "../schema";
import { count, median, percentile, timeOnce } from "../stats";

type PeerId = "periods" | "audit" | "temporal_tables";

/** One of the benchmark's temporal tables, and the columns its peers' copies get (same names and types). */
type Spec = { name: string; columns: string; list: string[] };

const FRIEND: Spec = {
  name: "bench_friend",
  columns: "id integer PRIMARY KEY, name text NOT NULL, location text",
  list: ["id", "name", "location"],
};
const MEMBER: Spec = {
  name: "bench_member",
  columns: `id integer PRIMARY KEY, member_number varchar(12) NOT NULL, full_name text NOT NULL, date_of_birth date NOT NULL,
    plan text NOT NULL, premium numeric(10, 2) NOT NULL, provider_id integer, coverage jsonb NOT NULL, tags text[] NOT NULL,
    renews_on date NOT NULL, visits integer NOT NULL`,
  list: ["id", "member_number", "full_name", "date_of_birth", "plan", "premium", "provider_id", "coverage", "tags", "renews_on", "visits"],
};

type Peer = {
  id: PeerId;
  label: string;
  /** Creates the peer's copy of `spec`'s table (empty) with its history capture. */
  setup: (spec: Spec) => string[];
  /** The peer's own query for the record `key` as of `at`. */
  asOfOne: (spec: Spec, key: number, at: Date) => SQL;
  /** The peer's own query for a page of 50 records after `after`, in key order, as of `at`. */
  page: (spec: Spec, after: number, at: Date) => SQL;
  /** A column of a row either query returns. */
  pick: (row: Record<string, unknown>, column: string) => unknown;
  /** The relations it adds to the database for `spec`'s table (history tables, their indexes are counted with them). */
  relations: (spec: Spec) => string[];
};

const copy = (spec: Spec, peer: PeerId) => `${spec.name}_${peer === "temporal_tables" ? "tt" : peer}`;
const column = (row: Record<string, unknown>, name: string) => row[name];

const PERIODS: Peer = {
  id: "periods",
  label: "periods (system versioning)",
  setup: (spec) => {
    const t = copy(spec, "periods");
    return [
      `CREATE TABLE ${t} (${spec.columns})`,
      `SELECT periods.add_system_time_period('${t}')`,
      `SELECT periods.add_system_versioning('${t}', history_table_name => '${t}_history', view_name => '${t}_with_history',
              function_as_of_name => '${t}__as_of')`,
      // periods leaves indexing the history table to the user ("be sure to index it properly"): the key.
      `CREATE INDEX ON ${t}_history (id)`,
    ];
  },
  // The extension's AS OF function (SQL, inlined): the table and its history, system_time_start <= at < system_time_end.
  asOfOne: (spec, key, at) => sql`SELECT * FROM ${sql.identifier(`${copy(spec, "periods")}__as_of`)}(${at}::timestamptz) WHERE id = ${key}`,
  page: (spec, after, at) =>
    sql`SELECT * FROM ${sql.identifier(`${copy(spec, "periods")}__as_of`)}(${at}::timestamptz) WHERE id > ${after} ORDER BY id LIMIT 50`,
  pick: column,
  relations: (spec) => [`${copy(spec, "periods")}_history`],
};

const AUDIT: Peer = {
  id: "audit",
  label: "JSONB audit trigger",
  setup: (spec) => {
    const t = copy(spec, "audit");
    return [
      `CREATE TABLE ${t} (${spec.columns})`,
      `CREATE TRIGGER ${t}_log AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION bench_audit.log_row()`,
    ];
  },
  // The newest audit row of the record at or before `at` holds the whole record as it then was.
  asOfOne: (spec, key, at) =>
    sql`SELECT record FROM (
          SELECT op, record FROM bench_audit.logged_actions
           WHERE table_oid = ${copy(spec, "audit")}::regclass AND record_id = ${key} AND ts <= ${at}
           ORDER BY ts DESC LIMIT 1) latest
         WHERE op <> 'DELETE'`,
  page: (spec, after, at) =>
    sql`SELECT record FROM (
          SELECT DISTINCT ON (record_id) record_id, op, record FROM bench_audit.logged_actions
           WHERE table_oid = ${copy(spec, "audit")}::regclass AND record_id > ${after} AND ts <= ${at}
           ORDER BY record_id, ts DESC) latest
         WHERE op <> 'DELETE' ORDER BY record_id LIMIT 50`,
  pick: (row, name) => (row.record as Record<string, unknown>)[name],
  relations: () => ["bench_audit.logged_actions"],
};

const TEMPORAL_TABLES: Peer = {
  id: "temporal_tables",
  label: "temporal_tables versioning()",
  setup: (spec) => {
    const t = copy(spec, "temporal_tables");
    // The project README's setup: a sys_period column, a history table LIKE the table, its two indexes, the trigger.
    return [
      `CREATE TABLE ${t} (${spec.columns}, sys_period tstzrange NOT NULL DEFAULT tstzrange(current_timestamp, null))`,
      `CREATE TABLE ${t}_history (LIKE ${t})`,
      `CREATE INDEX ON ${t}_history (sys_period)`,
      `CREATE INDEX ON ${t}_history (id)`,
      `CREATE TRIGGER versioning_trigger BEFORE INSERT OR UPDATE OR DELETE ON ${t}
         FOR EACH ROW EXECUTE PROCEDURE versioning('sys_period', '${t}_history', true)`,
    ];
  },
  // The current row and the history rows whose period contains `at`.
  asOfOne: (spec, key, at) => {
    const t = copy(spec, "temporal_tables");
    return sql`SELECT * FROM ${sql.identifier(t)} WHERE id = ${key} AND sys_period @> ${at}::timestamptz
               UNION ALL SELECT * FROM ${sql.identifier(`${t}_history`)} WHERE id = ${key} AND sys_period @> ${at}::timestamptz`;
  },
  page: (spec, after, at) => {
    const t = copy(spec, "temporal_tables");
    return sql`SELECT * FROM (SELECT * FROM ${sql.identifier(t)} WHERE sys_period @> ${at}::timestamptz
                              UNION ALL SELECT * FROM ${sql.identifier(`${t}_history`)} WHERE sys_period @> ${at}::timestamptz) v
                WHERE id > ${after} ORDER BY id LIMIT 50`;
  },
  pick: column,
  relations: (spec) => [`${copy(spec, "temporal_tables")}_history`],
};

/** The audit trigger (one function for every audited table) and its log, indexed for "the record as of a moment". */
const AUDIT_DDL = [
  "CREATE SCHEMA IF NOT EXISTS bench_audit",
  `CREATE TABLE bench_audit.logged_actions (
     id bigserial PRIMARY KEY, table_oid oid NOT NULL, record_id integer NOT NULL, op text NOT NULL,
     ts timestamptz NOT NULL DEFAULT now(), record jsonb, old_record jsonb)`,
  "CREATE INDEX logged_actions_record ON bench_audit.logged_actions (table_oid, record_id, ts DESC)",
  `CREATE FUNCTION bench_audit.log_row() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     new_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END;
     old_row jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END;
   BEGIN
     INSERT INTO bench_audit.logged_actions (table_oid, record_id, op, record, old_record)
     VALUES (TG_RELID, (coalesce(new_row, old_row) ->> 'id')::integer, TG_OP, new_row, old_row);
     RETURN NULL;
   END $$`,
];

const here = dirname(fileURLToPath(import.meta.url));

/** Installs what each peer needs; returns the peers that can run, printing the ones skipped and why. */
async function install(ctx: Ctx): Promise<Peer[]> {
  const peers: Peer[] = [];
  const [periods] = await query(ctx.db, sql`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'periods'`);
  if (periods!.n === 1) {
    await ctx.db.execute(sql`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await ctx.db.execute(sql`CREATE EXTENSION IF NOT EXISTS periods`);
    peers.push(PERIODS);
  } else {
    console.log("  peers: skipped periods: the extension is not installed on this server (apt-get install postgresql-15-periods)");
  }
  for (const statement of AUDIT_DDL) await ctx.db.execute(sql.raw(statement));
  peers.push(AUDIT);
  await ctx.db.execute(sql.raw(readFileSync(join(here, "..", "peers", "temporal-tables-versioning.sql"), "utf8")));
  peers.push(TEMPORAL_TABLES);
  return peers;
}

/** Creates every peer's copy of `spec`'s table and fills it with the rows of ours (the same data). */
async function copies(ctx: Ctx, peers: Peer[], spec: Spec): Promise<void> {
  const list = spec.list.join(", ");
  for (const peer of peers) {
    for (const statement of peer.setup(spec)) await ctx.db.execute(sql.raw(statement));
    await ctx.db.execute(sql.raw(`INSERT INTO ${copy(spec, peer.id)} (${list}) SELECT ${list} FROM ${spec.name} ORDER BY id`));
  }
}

/** A timing or a size of one approach, not in the results: the peer side of a row. */
function figure(ctx: Ctx, name: string, size: string, unit: string, values: number[]): Result {
  return { engine: ctx.engine, case: name, size, unit, reps: values.length, median: median(values), p95: percentile(values, 95) };
}

/**
 * Our figure beside each peer's (ratio ours / peer), then beside the best peer (the fastest, or
 * the smallest), which is the row the issue's target is on when `best` names it.
 */
function beside(
  ctx: Ctx,
  name: string,
  size: string,
  unit: string,
  ours: number[],
  peers: [Peer, number[]][],
  notes: { ours?: string; best?: string } = {},
): void {
  const row = (caseName: string, note?: string) => {
    const r = unit === "ms" ? latency(ctx, caseName, size, ours, note) : value(ctx, caseName, size, unit, median(ours), note);
    r.section = "peers";
    return r;
  };
  for (const [peer, values] of peers) against(ctx, row(name, notes.ours), figure(ctx, name, size, unit, values), peer.label);
  const [peer, values] = peers.reduce((a, b) => (median(b[1]) < median(a[1]) ? b : a));
  against(
    ctx,
    row(`${name}: against the ${unit === "ms" ? "fastest" : "smallest"} peer`, notes.best),
    figure(ctx, name, size, unit, values),
    peer.label,
  );
}

/** Runs `ours` and each peer's `fn` in turn `reps` times (after `warm` untimed rounds); each one's times in ms. */
async function interleaved(
  peers: Peer[],
  reps: number,
  warm: number,
  ours: (i: number) => Promise<unknown>,
  theirs: (peer: Peer, i: number) => Promise<unknown>,
): Promise<{ ours: number[]; peers: [Peer, number[]][] }> {
  const mine: number[] = [];
  const times = new Map<Peer, number[]>(peers.map((p) => [p, []]));
  for (let i = -warm; i < reps; i++) {
    const t = await timeOnce(() => ours(i));
    if (i >= 0) mine.push(t.ms);
    for (const peer of peers) {
      const p = await timeOnce(() => theirs(peer, i));
      if (i >= 0) times.get(peer)!.push(p.ms);
    }
  }
  return { ours: mine, peers: peers.map((p) => [p, times.get(p)!]) };
}

function expect(who: string, what: string, got: unknown, want: unknown): void {
  if (String(got) !== String(want)) throw new Error(`${who}: ${what} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}.`);
}

const activity = (reason: string) => ({ reason, actor: "bench" });
/** A moment just after a write returned (1 ms on, past the rounding of a Date to whole milliseconds). */
const justAfter = () => new Date(Date.now() + 1);

const FRIENDS = 100;
const FIRST_FRIEND = 2_000_001;

/** The friend workload: one-property ticks over 100 friends, then as-of reads of one record by time. */
async function friendCases(ctx: Ctx, peers: Peer[]): Promise<void> {
  const { db } = ctx;
  const friends = Array.from({ length: FRIENDS }, (_, i) => ({ id: FIRST_FRIEND + i, name: `Peer friend ${i}`, location: "New York" }));
  await createMany(db, friendBench, friends, activity("Benchmark: the peers' friends"));
  await copies(ctx, peers, FRIEND);
  await db.execute(sql`ANALYZE`);

  const ticks = ctx.cfg.latencyReps * 10;
  type Moment = { id: number; at: Date; location: string };
  const moments = new Map<Peer | "ours", Moment[]>([["ours", []], ...peers.map((p): [Peer, Moment[]] => [p, []])]);
  const keyOf = (i: number) => FIRST_FRIEND + ((i + FRIENDS) % FRIENDS);
  const remember = (who: Peer | "ours", i: number) => {
    if (i >= 0 && i % 5 === 0) moments.get(who)!.push({ id: keyOf(i), at: justAfter(), location: `City ${i}` });
  };
  const one = await interleaved(
    peers,
    ticks,
    20,
    async (i) => {
      await tick(db, friendBench, keyOf(i), { location: `City ${i}` }, activity(`Moved to City ${i}`));
      remember("ours", i);
    },
    async (peer, i) => {
      await db.execute(sql`UPDATE ${sql.identifier(copy(FRIEND, peer.id))} SET location = ${`City ${i}`} WHERE id = ${keyOf(i)}`);
      remember(peer, i);
    },
  );
  beside(ctx, "W2 tick of one property", `${count(ticks)} ticks, ${FRIENDS} friends`, "ms", one.ours, one.peers, {
    ours: "tick() in its own activity; the peers: an autocommit UPDATE, their trigger writes the history",
    best: "target: ≤ 1.3× the fastest peer trigger's tick",
  });

  const reads = ctx.cfg.readReps * 5;
  const picks = Array.from({ length: reads + 10 }, () => Math.floor(Math.random() * moments.get("ours")!.length));
  const pick = (who: Peer | "ours", i: number) => moments.get(who)![picks[i + 10]!]!;
  const byTime = await interleaved(
    peers,
    reads,
    10,
    async (i) => {
      const m = pick("ours", i);
      const then = await asOf(db, friendBench, m.id, { at: m.at });
      expect("ours", `friend ${m.id}'s location as of ${m.at.toISOString()}`, then?.record.location, m.location);
    },
    async (peer, i) => {
      const m = pick(peer, i);
      const [row] = await query(db, peer.asOfOne(FRIEND, m.id, m.at));
      expect(peer.label, `friend ${m.id}'s location as of ${m.at.toISOString()}`, row && peer.pick(row, "location"), m.location);
    },
  );
  beside(ctx, "as-of one record by time", `${count(reads)} reads`, "ms", byTime.ours, byTime.peers, {
    ours: "asOf { at }; the peers: their own query (periods' AS OF function, the audit log's latest row, table + history)",
    best: "target: faster than every peer",
  });
}

const PLANS = ["bronze", "silver", "gold", "platinum"] as const;
const day = (n: number) => new Date(Date.UTC(2027, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

function memberRow(id: number) {
  return {
    id,
    memberNumber: `M${String(id).padStart(9, "0")}`,
    fullName: `Member ${id}`,
    dateOfBirth: day(-20_000 + (id % 15_000)),
    plan: PLANS[id % PLANS.length]!,
    premium: `${100 + (id % 400)}.00`,
    providerId: id % 40,
    coverage: { dental: id % 2 === 0, vision: id % 3 === 0, deductible: 500 + (id % 10) * 100 },
    tags: id % 5 === 0 ? ["vip", "paper-statements"] : ["online"],
    renewsOn: day(id % 365),
    visits: 0,
  };
}

/** Total bytes of each relation (heap, TOAST and indexes) and of its indexes, by name. */
async function sizes(ctx: Ctx, names: string[]): Promise<Map<string, { total: number; indexes: number }>> {
  const rows = await query(
    ctx.db,
    sql`SELECT n AS name, pg_total_relation_size(n::regclass)::bigint AS total, pg_indexes_size(n::regclass)::bigint AS indexes
          FROM unnest(${sql.param(names)}::text[]) n`,
  );
  return new Map(rows.map((r) => [String(r.name), { total: Number(r.total), indexes: Number(r.indexes) }]));
}

/** The member-shaped table: five-property ticks, bulk updates of every row, bytes per tick, a page as of a moment. */
async function memberCases(ctx: Ctx, peers: Peer[]): Promise<void> {
  const { db } = ctx;
  const largest = ctx.cfg.bulk.reduce((a, b) => (b.rows > a.rows ? b : a));
  const rows = largest.rows;
  const reps = Math.max(2, largest.reps);
  await createMany(
    db,
    memberBench,
    Array.from({ length: rows }, (_, i) => memberRow(i + 1)),
    activity("Benchmark: the peers' members"),
  );
  await copies(ctx, peers, MEMBER);
  await db.execute(sql`VACUUM ANALYZE`);
  const size = `${count(rows)} members, 10 columns`;

  // A tick of five of the ten properties, over the first 100 members in turn.
  const fives = ctx.cfg.latencyReps * 4;
  const five = (i: number) => ({
    fullName: `Member ${i}`,
    plan: PLANS[((i % 4) + 4) % 4]!,
    premium: `${200 + (i % 300)}.50`,
    renewsOn: day(i),
    visits: i,
  });
  const five5 = await interleaved(
    peers,
    fives,
    20,
    (i) => tick(db, memberBench, 1 + ((i + 100) % 100), five(i), activity("Benchmark: five properties")),
    (peer, i) => {
      const c = five(i);
      return db.execute(
        sql`UPDATE ${sql.identifier(copy(MEMBER, peer.id))} SET full_name = ${c.fullName}, plan = ${c.plan}, premium = ${c.premium},
                   renews_on = ${c.renewsOn}, visits = ${c.visits} WHERE id = ${1 + ((i + 100) % 100)}`,
      );
    },
  );
  beside(ctx, "five-property tick", `${count(fives)} ticks, ${size}`, "ms", five5.ours, five5.peers, {
    ours: "tick() in its own activity; the peers: an autocommit UPDATE of the five columns",
  });

  // Bulk: every row gets a new `visits` twice per round (given values, then visits + 1): the bytes per tick are measured over it.
  const clock = getTableName(memberBench.$temporal.clock);
  const ours = [clock, ...Object.values(memberBench.$temporal.history).map((t) => getTableName(t)), "temporal_activity"];
  const relations = [...ours, ...peers.flatMap((p) => p.relations(MEMBER))];
  const vacuum = () =>
    db.execute(
      sql.raw(
        `VACUUM ${relations
          .map((n) =>
            n
              .split(".")
              .map((part) => `"${part}"`)
              .join("."),
          )
          .join(", ")}`,
      ),
    );
  await vacuum();
  const before = await sizes(ctx, relations);
  const moments = new Map<Peer | "ours", Date>();
  const ids = Array.from({ length: rows }, (_, i) => i + 1);
  const given = (rep: number) => ids.map((id) => id * 10 + 2 * rep + 1);
  const values = (rep: number) => sql`(SELECT unnest(${sql.param(ids)}::int[]) AS id, unnest(${sql.param(given(rep))}::int[]) AS visits)`;
  const times = {
    many: [] as number[],
    update: [] as number[],
    peerMany: new Map<Peer, number[]>(),
    peerUpdate: new Map<Peer, number[]>(),
  };
  for (const peer of peers) [times.peerMany, times.peerUpdate].forEach((m) => m.set(peer, []));
  for (let rep = 0; rep < reps; rep++) {
    const visits = given(rep);
    const entries: TickManyEntry<typeof memberBench>[] = ids.map((id, i) => ({ key: id, changes: { visits: visits[i]! } }));
    times.many.push((await timeOnce(() => tickMany(db, memberBench, entries, activity("Benchmark: the peers' bulk, given values")))).ms);
    const update = await timeOnce(() =>
      withActivity(db, activity("Benchmark: the peers' bulk, UPDATE ... WHERE"), (tx) =>
        tx
          .update(memberBench)
          .set({ visits: sql`${memberBench.visits} + 1` })
          .where(and(gte(memberBench.id, 1), lte(memberBench.id, rows))),
      ),
    );
    times.update.push(update.ms);
    if (rep === 0) moments.set("ours", justAfter());
    for (const peer of peers) {
      const t = sql.identifier(copy(MEMBER, peer.id));
      times.peerMany
        .get(peer)!
        .push((await timeOnce(() => db.execute(sql`UPDATE ${t} p SET visits = v.visits FROM ${values(rep)} v WHERE p.id = v.id`))).ms);
      times.peerUpdate
        .get(peer)!
        .push((await timeOnce(() => db.execute(sql`UPDATE ${t} SET visits = visits + 1 WHERE id BETWEEN 1 AND ${rows}`))).ms);
      if (rep === 0) moments.set(peer, justAfter());
    }
  }
  const bulk = `${count(rows)} rows, ${reps} rounds, ${size}`;
  beside(
    ctx,
    "bulk: tickMany / UPDATE ... FROM (given values)",
    bulk,
    "ms",
    times.many,
    peers.map((p) => [p, times.peerMany.get(p)!]),
    {
      ours: "tickMany, one activity; the peers: one UPDATE ... FROM unnest of the same values",
      best: "target: ≤ 3× the fastest peer's bulk",
    },
  );
  beside(
    ctx,
    "bulk: UPDATE ... WHERE",
    bulk,
    "ms",
    times.update,
    peers.map((p) => [p, times.peerUpdate.get(p)!]),
    {
      ours: "SET visits = visits + 1 in withActivity; the peers: the same statement",
      best: "target: ≤ 3× the fastest peer's bulk",
    },
  );

  // Bytes per tick: what each approach's own relations grew by over the bulk rounds, after VACUUM.
  await vacuum();
  const after = await sizes(ctx, relations);
  const ticks = rows * reps * 2;
  const grown = (names: string[], part: "total" | "indexes" = "total") =>
    names.reduce((sum, n) => sum + after.get(n)![part] - before.get(n)![part], 0) / ticks;
  const history = ours.slice(1, -1);
  const split = `clock ${grown([clock]).toFixed(0)} B, history ${grown(history).toFixed(0)} B, activity ${grown(["temporal_activity"]).toFixed(1)} B`;
  const inIndexes = (names: string[]) => `${Math.round((100 * grown(names, "indexes")) / grown(names))}% in indexes`;
  const peerBytes = peers.map((p): [Peer, number[]] => [p, [grown(p.relations(MEMBER))]]);
  beside(ctx, "bytes per one-property tick (after VACUUM)", `${count(ticks)} ticks, ${size}`, "B/tick", [grown(ours)], peerBytes, {
    ours: `${split}; ${inIndexes(ours)}; the peers' history tables (audit: its log) with their indexes`,
    best: `target: ≤ the whole-row peers'; peers: ${peerBytes.map(([p]) => `${p.id} ${inIndexes(p.relations(MEMBER))}`).join(", ")}`,
  });

  // A page of 50 records in key order as of the moment after the first round, after a random key.
  const pages = ctx.cfg.readReps;
  const afters = Array.from({ length: pages + 10 }, () => Math.floor(Math.random() * Math.max(1, rows - 100)));
  const check = (who: string, got: { id: unknown; visits: unknown }[], after: number) => {
    expect(who, `the page after ${after} has ${got.length} rows`, got.length, 50);
    for (const r of got) expect(who, `member ${String(r.id)}'s visits as of the first round`, r.visits, Number(r.id) * 10 + 2);
  };
  const page = await interleaved(
    peers,
    pages,
    5,
    async (i) => {
      const after = afters[i + 5]!;
      const then = await tableAsOf(db, memberBench, moments.get("ours")!, { limit: 50, after, count: false });
      check("ours", then.rows, after);
    },
    async (peer, i) => {
      const after = afters[i + 5]!;
      const got = await query(db, peer.page(MEMBER, after, moments.get(peer)!));
      check(
        peer.label,
        got.map((r) => ({ id: peer.pick(r, "id"), visits: peer.pick(r, "visits") })),
        after,
      );
    },
  );
  beside(ctx, "table as of a moment (page of 50)", `${count(pages)} pages, ${size}`, "ms", page.ours, page.peers, {
    ours: "tableAsOf, keyset page after a random key, no count; the peers: their own query in key order",
  });
}

export async function peersCases(ctx: Ctx): Promise<void> {
  if (ctx.engine !== "postgres") {
    console.log("  peers: skipped on PGlite (periods and the peers' triggers are measured on a Postgres server)");
    return;
  }
  const peers = await install(ctx);
  await friendCases(ctx, peers);
  await memberCases(ctx, peers);
}
