/**
 * The plans of the hot reads, as Postgres runs them: each library call is made once
 * while the pool's query method records the SQL it sends, then that SQL runs again
 * under EXPLAIN (ANALYZE, BUFFERS) with the same parameters. Postgres only.
 */
import { eq } from "drizzle-orm";
import type { Pool, QueryConfig } from "pg";
import { asOf, history, tableAsOf, timeline, type TemporalDb } from "@temporal-records/drizzle";
import { DEEP_ID } from "./cases/deep";
import type { Ctx } from "./context";
import { item } from "./schema";

type Sent = { text: string; values: unknown[] };

/** Runs `fn` and returns the SQL statements it sent, in order. */
async function recorded(db: TemporalDb, fn: () => Promise<unknown>): Promise<Sent[]> {
  const pool = (db as unknown as { $client: Pool }).$client;
  const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const sent: Sent[] = [];
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const [first, second] = args;
    if (typeof first === "string") sent.push({ text: first, values: (second as unknown[]) ?? [] });
    else if (first && typeof first === "object" && "text" in first) {
      const config = first as QueryConfig;
      sent.push({ text: config.text, values: config.values ?? (second as unknown[]) ?? [] });
    }
    return original(...args);
  };
  try {
    await fn();
  } finally {
    (pool as unknown as { query: unknown }).query = original;
  }
  return sent;
}

async function explain(db: TemporalDb, statement: Sent): Promise<string> {
  const pool = (db as unknown as { $client: Pool }).$client;
  const result = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.text}`, statement.values);
  return result.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");
}

export type Plan = { name: string; plan: string };

/** The plans of asOf (by version and by time), the first page of a property's history, and a tableAsOf page. */
export async function hotPlans(ctx: Ctx): Promise<Plan[]> {
  if (ctx.engine !== "postgres") return [];
  const { db } = ctx;
  const id = ctx.hot[0] ?? 1;
  const [row] = await db.select({ vclock: item.vclock }).from(item).where(eq(item.id, id));
  const at = ctx.moments[Math.floor(ctx.moments.length / 2)]!;
  const calls: [string, () => Promise<unknown>][] = [
    [
      `asOf(item, ${id}, { vclock: ${Math.max(1, row!.vclock >> 1)} })`,
      () => asOf(db, item, id, { vclock: Math.max(1, row!.vclock >> 1) }),
    ],
    [`asOf(item, ${id}, { at })`, () => asOf(db, item, id, { at })],
    [`history(item, ${id}, "score", { limit: 50 })`, () => history(db, item, id, "score", { limit: 50 })],
    [
      "tableAsOf(item, at, { limit: 50, offset: 2500, count: false })",
      () => tableAsOf(db, item, at, { limit: 50, offset: 2500, count: false }),
    ],
  ];
  const [deep] = await db.select({ vclock: item.vclock }).from(item).where(eq(item.id, DEEP_ID));
  if (deep) {
    calls.push([`timeline(item, ${DEEP_ID}, { limit: 50 }) (${deep.vclock} ticks)`, () => timeline(db, item, DEEP_ID, { limit: 50 })]);
    calls.push([`asOf(item, ${DEEP_ID}, { vclock: ${deep.vclock >> 1} })`, () => asOf(db, item, DEEP_ID, { vclock: deep.vclock >> 1 })]);
  }
  return plansOf(db, calls);
}

/** Each call made once, and the plan of every statement it sent. */
export async function plansOf(db: TemporalDb, calls: [string, () => Promise<unknown>][]): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const [name, call] of calls) {
    const sent = await recorded(db, call);
    for (const statement of sent) plans.push({ name, plan: await explain(db, statement) });
  }
  return plans;
}

/** Plans as markdown: a heading (at `level`) and a text block each. */
export function plansMarkdown(plans: Plan[], level = "####"): string {
  return plans.map((p) => `${level} ${p.name}\n\n\`\`\`text\n${p.plan}\n\`\`\``).join("\n\n");
}
