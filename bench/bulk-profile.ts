/**
 * The bulk path alone, for work on the capture's bulk cost: the benchmark's createMany (to 110,100 records) and its
 * bulk phase at one size (bulk UPDATE ... WHERE, tickMany, and the floor rows, measured in the same run), then
 * each of ours against the floor "capture's writes as bare SQL". Postgres only; the machine's load average is printed
 * beside the figures (compare ratios, not rates, between runs).
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tsx --conditions=react-server bench/bulk-profile.ts [--rows 100000] [--reps 2] [--keep]
 * `--keep` leaves the database behind (its name is printed) for EXPLAIN ANALYZE by hand.
 */
import { loadavg } from "node:os";
import { testDb } from "../lib/temporal/tests/harness";
import { bulkCases, createCases } from "./cases/bulk";
import { seedSmall } from "./cases/writes";
import type { Ctx } from "./context";
import { markdown } from "./report";
import { benchSchema, benchTables } from "./schema";
import { count } from "./stats";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a Postgres server (the database is made there and dropped).");
  const rows = arg("--rows", 100_000);
  const reps = arg("--reps", 2);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const { db, kind, close, url } = await testDb(benchSchema, benchTables);
  console.log(`bulk profile: ${count(rows)} rows, ${reps} reps, database ${new URL(url!).pathname.slice(1)}; load average ${load()}`);
  // Above the values bench/memory.ts writes (1,000,000 + id), so its tickMany changes every row.
  let seq = 10_000_000;
  const ctx: Ctx = {
    db,
    url,
    engine: kind,
    cfg: {
      name: "full",
      small: 100,
      createMany: [10_000, 100_000],
      bulk: [{ rows, reps }],
      latencyReps: 200,
      readReps: 1,
      heavyReadReps: 1,
      verifyReps: 1,
      hot: 10,
    },
    results: [],
    records: 0,
    hot: [],
    moments: [],
    sample: () => {},
    next: () => ++seq,
  };
  try {
    await seedSmall(ctx);
    await createCases(ctx);
    await bulkCases(ctx);
  } finally {
    if (!process.argv.includes("--keep")) await close();
  }
  console.log(`load average ${load()} at the end\n`);
  console.log(markdown(ctx.results));
  const rateOf = (name: string) => ctx.results.find((r) => r.case === name && r.size === count(rows))?.median;
  const floor = rateOf("floor: capture's writes as bare SQL");
  console.log("");
  for (const name of ["bulk UPDATE ... WHERE", "tickMany"]) {
    const ours = rateOf(name);
    if (floor && ours)
      console.log(`${name} ${count(rows)}: ${(floor / ours).toFixed(2)}× the floor (${Math.round(ours)} vs ${Math.round(floor)} rows/s)`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
