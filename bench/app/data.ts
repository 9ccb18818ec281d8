/**
 * The app's data set for workloads 5 and 7: members (100,000 by default) with about 20
 * history rows each (2,000,000), all written through the library the way the app writes:
 * createMany in batches, then rounds of set-based UPDATEs inside withActivity (each round
 * changes one tracked property of every member, one activity per slice of 10,000), and
 * one member whose premium is ticked 10,000 times, each tick its own activity, then 90,000
 * corrections of one member each, each its own activity (so the activity log holds over
 * 100,000 activities to export). Two connections write at once (the machine has two cores).
 */
import { and, eq, gte, lte, ne, sql } from "drizzle-orm";
import { member, provider, type Coverage } from "@/db/schema";
import { migrate } from "@/db/migrate";
import type { Auth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import { createMany, tick, withActivity, type TemporalDb } from "@temporal-records/drizzle";
import { query } from "../context";

export type AppDataSize = {
  members: number;
  historyRows: number;
  deepTicks: number;
  /** Single-property ticks of other members, each its own activity: the activity log reaches 100,000 rows for the export. */
  corrections: number;
};

export type AppData = AppDataSize & {
  /** The member with `deepTicks` ticks of its premium. */
  deepId: number;
  /** The members' keys (without the deep one), and the vclock every one of them reached. */
  firstId: number;
  lastId: number;
  vclock: number;
  /** Moments between rounds, for reads "as of" a time. */
  moments: Date[];
  /** History rows in every history table of `member`, counted. */
  historyCount: number;
};

/** Who the page requests sign in as (an editor: the ops staff who use the app most). */
export const BENCH_EDITOR = {
  email: "bench-editor@bench.example",
  name: "Bench Editor",
  role: "editor",
  password: "bench-editor-password",
} as const;

/** Written once the data set is complete (`--reuse` looks for it): a plain table, not an activity that changed nothing. */
const DONE_TABLE = "bench_app_data";
const SLICE = 10_000;
const PLANS = ["bronze", "silver", "gold", "platinum"] as const;

/** One round per tracked property in turn; `n` makes every value new, so every member ticks. */
const ROUNDS: { what: string; set: (n: number, providers: [number, number]) => ReturnType<typeof sql> }[] = [
  { what: "premium", set: () => sql`"premium" = round("premium" * 1.03, 2)` },
  { what: "renewal date", set: () => sql`"renews_on" = "renews_on" + 365` },
  { what: "program tags", set: (n) => sql`"tags" = ARRAY['program-' || ${n}::text]` },
  { what: "coverage", set: (n) => sql`"coverage" = jsonb_set("coverage", '{deductible}', to_jsonb(${n}::int * 50))` },
  {
    what: "primary care provider",
    set: (n, [lo, hi]) => sql`"primary_care_provider_id" = ${lo}::int + ("id" + ${n}::int) % (${hi - lo + 1}::int)`,
  },
  { what: "plan", set: (n) => sql`"plan" = (ARRAY['bronze','silver','gold','platinum'])[1 + ("id" + ${n}::int) % 4]::plan_tier` },
];

async function inParallel<T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function historyRows(db: TemporalDb): Promise<number> {
  const tables = await query(
    db,
    sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'member\\_history\\_%'`,
  );
  const counts = sql.join(
    tables.map((t) => sql`(SELECT count(*) FROM ${sql.identifier(String(t.tablename))})`),
    sql` + `,
  );
  const [row] = await query(db, sql`SELECT ${counts} AS n`);
  return Number(row!.n);
}

function memberRow(i: number, providers: [number, number]) {
  const plan = PLANS[i % PLANS.length]!;
  const coverage: Coverage = {
    dental: plan !== "bronze",
    vision: plan === "gold" || plan === "platinum",
    deductible: 3000 - (i % 5) * 250,
  };
  return {
    memberNumber: `BM-${String(i).padStart(7, "0")}`,
    fullName: `Member ${String((i * 7919) % 1_000_003).padStart(7, "0")} ${["Alvarez", "Brown", "Chen", "Diaz", "Evans"][i % 5]}`,
    dateOfBirth: `${1940 + (i % 60)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
    plan,
    premium: (200 + (i % 400)).toFixed(2),
    primaryCareProviderId: providers[0] + (i % (providers[1] - providers[0] + 1)),
    coverage,
    tags: i % 3 === 0 ? ["wellness"] : [],
    renewsOn: `2027-${String(1 + (i % 12)).padStart(2, "0")}-01`,
  };
}

/** The data set already in `db`, if a run with the same sizes finished loading it (`--reuse`). */
export async function existingAppData(db: TemporalDb, size: AppDataSize): Promise<AppData | undefined> {
  const [marker] = await query(db, sql`SELECT "data" FROM ${sql.identifier(DONE_TABLE)} ORDER BY "id" DESC LIMIT 1`).catch(() => []);
  if (!marker) return undefined;
  const data = marker.data as AppData;
  if (
    data.members !== size.members ||
    data.historyRows !== size.historyRows ||
    data.deepTicks !== size.deepTicks ||
    data.corrections !== size.corrections
  )
    return undefined;
  return { ...data, moments: data.moments.map((m) => new Date(m)) };
}

/** Migrates the empty database `db` and loads the data set into it. */
export async function loadAppData(db: TemporalDb, auth: Auth, size: AppDataSize, log: (line: string) => void): Promise<AppData> {
  const t0 = Date.now();
  const took = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  await migrate({ db, kind: "postgres", close: async () => {} });
  const who = (reason: string) => ({ reason, actor: "bench-loader", source: "bench", kind: "import" });
  await createStaff(db, auth, BENCH_EDITOR, who("Benchmark: the person the page requests sign in as"));

  const created = await createMany(
    db,
    provider,
    Array.from({ length: 400 }, (_, i) => ({ name: `Dr. Bench ${i}`, specialty: "family_medicine" as const, city: "Oakland" })),
    who("Benchmark: provider network"),
  );
  const providers: [number, number] = [created[0]!.id, created.at(-1)!.id];

  const batches = Array.from({ length: Math.ceil(size.members / 5_000) }, (_, b) => b);
  await inParallel(batches, 2, async (b) => {
    const rows = Array.from({ length: Math.min(5_000, size.members - b * 5_000) }, (_, i) => memberRow(b * 5_000 + i + 1, providers));
    await createMany(db, member, rows, who(`Benchmark: enrollment batch ${b + 1}`));
  });
  const [bounds] = await db.select({ lo: sql<number>`min("id")`, hi: sql<number>`max("id")` }).from(member);
  const deepId = Number(bounds!.lo);
  const firstId = deepId + 1;
  const lastId = Number(bounds!.hi);
  let historyCount = await historyRows(db);
  log(`members: ${size.members.toLocaleString("en-US")} created, ${historyCount.toLocaleString("en-US")} history rows (${took()})`);

  const moments: Date[] = [new Date()];
  const perRound = size.members - 1;
  const rounds = Math.max(0, Math.ceil((size.historyRows - historyCount - size.deepTicks - size.corrections) / perRound));
  const deep = async () => {
    for (let i = 0; i < size.deepTicks; i++) {
      const changes = { premium: (300 + (i % 2) + (i % 1000) / 100).toFixed(2) };
      await tick(db, member, deepId, changes, { reason: `Premium correction ${i + 1}`, actor: "ops@bench.example", source: "admin-ui" });
    }
  };
  const bulk = async () => {
    for (let r = 0; r < rounds; r++) {
      const round = ROUNDS[r % ROUNDS.length]!;
      const slices = Array.from({ length: Math.ceil((lastId - firstId + 1) / SLICE) }, (_, s) => firstId + s * SLICE);
      await inParallel(slices, 2, async (lo) => {
        const hi = Math.min(lastId, lo + SLICE - 1);
        await withActivity(db, who(`Benchmark: ${round.what} update, round ${r + 1}`), (tx) =>
          tx.execute(
            sql`UPDATE ${member} SET ${round.set(r + 1, providers)} WHERE ${and(gte(member.id, lo), lte(member.id, hi), ne(member.id, deepId))}`,
          ),
        );
      });
      moments.push(new Date());
      log(`round ${r + 1}/${rounds}: ${round.what} (${took()})`);
    }
  };
  await Promise.all([bulk(), deep()]);
  // After the rounds: a correction racing a round's UPDATE of the same member would be refused as stale.
  const count = lastId - firstId + 1;
  await inParallel(
    Array.from({ length: size.corrections }, (_, i) => i),
    2,
    async (i) => {
      const id = firstId + ((i * 7919) % count);
      await tick(
        db,
        member,
        id,
        { fullName: `Member ${id} (corrected ${i + 1})` },
        {
          reason: `Benchmark: name correction ${i + 1}`,
          actor: "ops@bench.example",
          source: "admin-ui",
        },
      );
    },
  );
  log(`corrections: ${size.corrections.toLocaleString("en-US")} ticks, each its own activity (${took()})`);
  const [reached] = await db.select({ v: member.vclock }).from(member).where(eq(member.id, lastId));
  historyCount = await historyRows(db);
  await db.execute(sql`VACUUM ANALYZE`);
  log(
    `history: ${historyCount.toLocaleString("en-US")} rows, ${rounds} rounds, member ${deepId} ticked ${size.deepTicks} times (${took()})`,
  );

  const data: AppData = { ...size, deepId, firstId, lastId, vclock: reached!.v, moments, historyCount };
  await db.execute(sql`CREATE TABLE ${sql.identifier(DONE_TABLE)} ("id" serial PRIMARY KEY, "data" jsonb NOT NULL)`);
  await db.execute(sql`INSERT INTO ${sql.identifier(DONE_TABLE)} ("data") VALUES (${JSON.stringify(data)}::jsonb)`);
  return data;
}
