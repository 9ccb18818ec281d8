/**
 * Check (a): many clients ticking one record at once, through the library on a pool of their own.
 * Without expectedVclock every tick must land; with it each client sends the version it last saw (its
 * own last save, or the current version a refusal reported) and a stale one must be refused with
 * StaleVclockError and write nothing. Then the database is audited save by save, and verify() runs.
 */
import type pg from "pg";
import { friend } from "@/db/schema";
import { create, StaleVclockError, tick, verify, type TemporalDb } from "@temporal-records/drizzle";
import { auditSaves, type Audit, type Save } from "./audit";
import { count, kindOf, type Counts } from "./kinds";

export type TickRun = {
  mode: "without expectedVclock" | "with expectedVclock";
  attempts: number;
  seconds: number;
  failures: Counts;
  audit: Audit;
  violations: string[];
};

/** Failures a contended tick may end in: a refusal that says what to do. Any other kind is a violation. */
const EXPECTED_FAILURES = new Set(["STALE_VCLOCK"]);

async function contend(db: TemporalDb, id: number, options: { clients: number; ticks: number; withVclock: boolean; label: string }) {
  const saves: Save[] = [];
  const failures: Counts = new Map();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      let seen = 1;
      for (let i = 0; i < options.ticks; i++) {
        const save: Save = {
          reason: `${options.label}: client ${client}, tick ${i}`,
          location: `client ${client} tick ${i}`,
          outcome: "unknown",
        };
        saves.push(save);
        try {
          const activity = { reason: save.reason, actor: `client-${client}` };
          const done = await tick(
            db,
            friend,
            id,
            { location: save.location },
            activity,
            options.withVclock ? { expectedVclock: seen } : {},
          );
          Object.assign(save, { outcome: "acknowledged", vclock: done.vclock });
          seen = done.vclock;
        } catch (error) {
          const kind = kindOf(error);
          count(failures, kind);
          // A typed refusal says nothing was written; anything else may have been, so it stays unknown.
          if (EXPECTED_FAILURES.has(kind)) save.outcome = "refused";
          if (error instanceof StaleVclockError) seen = error.currentVclock;
        }
      }
    }),
  );
  return { saves, failures };
}

export async function tickStorm(
  db: TemporalDb,
  pool: pg.Pool,
  options: { clients: number; ticks: number; withVclock: boolean },
): Promise<TickRun> {
  const mode = options.withVclock ? "with expectedVclock" : "without expectedVclock";
  const label = `reliability ${mode}`;
  const record = await create(
    db,
    friend,
    { name: `Contended ${mode}`, location: "start" },
    { reason: `${label}: the record`, actor: "reliability" },
  );
  const started = performance.now();
  const { saves, failures } = await contend(db, record.id, { ...options, label });
  const seconds = (performance.now() - started) / 1000;
  const audit = await auditSaves(pool, record.id, saves);
  const violations = [...audit.violations];
  for (const [kind, n] of failures) if (!EXPECTED_FAILURES.has(kind)) violations.push(`${n} ticks failed with ${kind}`);
  if (!options.withVclock && audit.acknowledged !== saves.length)
    violations.push(`${saves.length - audit.acknowledged} ticks without expectedVclock did not land`);
  if (options.withVclock && audit.acknowledged === 0) violations.push("no tick with expectedVclock landed");
  const broken = await verify(db, friend);
  for (const v of broken) violations.push(`verify(): ${v.kind}: ${v.message}`);
  return { mode, attempts: saves.length, seconds, failures, audit, violations };
}
