/**
 * What the database holds for one friend after a run, against every save the run attempted on it
 * (each with its own reason and value): an acknowledged save is stored exactly once, at the version it
 * was acknowledged with, holding its value; a save reported as failed is not stored at all (not even
 * its activity); a save whose outcome was unknown is counted as stored or not; and no version exists
 * that no attempted save explains. Read with plain SQL, not through the library under test.
 */
import type pg from "pg";

export type Save = {
  reason: string;
  location: string;
  /** What the writer was told: saved (at `vclock`), refused (nothing saved), or nothing it could trust. */
  outcome: "acknowledged" | "refused" | "unknown";
  vclock?: number;
};

export type Audit = {
  acknowledged: number;
  /** Ticks of the record after its creation. */
  stored: number;
  refused: number;
  unknownStored: number;
  unknownLost: number;
  /** Acknowledged saves missing, or stored at another version or with another value. */
  lost: number;
  /** Saves reported as not saved that are stored, and versions no save of the run explains. */
  phantoms: number;
  /** History rows whose version or time range overlaps another's. */
  overlaps: number;
  violations: string[];
};

type Tick = { tick: number; reason: string; location: string | null };

async function ticksOf(pool: pg.Pool, id: number): Promise<Tick[]> {
  const { rows } = await pool.query<Tick>(
    `SELECT c.tick, a.reason, h.location
       FROM friend_clock c
       JOIN temporal_activity a ON a.id = c.activity_id
       LEFT JOIN friend_history_location h ON h.friend_id = c.friend_id AND lower(h.vclock) = c.tick
      WHERE c.friend_id = $1 AND c.tick > 1
      ORDER BY c.tick`,
    [id],
  );
  return rows;
}

/**
 * Ranges of both properties' history: each starts where the previous ended, none overlaps any earlier
 * one (a running maximum of the ends, so a long range that swallows others is caught too), one is open.
 */
async function checkRanges(pool: pg.Pool, id: number): Promise<{ overlaps: number; violations: string[] }> {
  const out: string[] = [];
  let overlapping = 0;
  for (const property of ["name", "location"]) {
    const table = `friend_history_${property}`;
    const { rows } = await pool.query<{ gaps: string; overlaps: string; open: string }>(
      `WITH r AS (
         SELECT lower(vclock) AS l, coalesce(upper(vclock), 2147483647) AS u, lower(effective) AS el, coalesce(upper(effective), 'infinity') AS eu
           FROM ${table} WHERE friend_id = $1)
       SELECT (SELECT count(*) FROM (SELECT u, lead(l) OVER (ORDER BY l) AS n FROM r) x WHERE n IS NOT NULL AND u <> n) AS gaps,
              (SELECT count(*) FROM (SELECT l, max(u) OVER (ORDER BY l ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS m FROM r) x WHERE l < m)
            + (SELECT count(*) FROM (SELECT el, max(eu) OVER (ORDER BY el ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS m FROM r) x WHERE el < m)
              AS overlaps,
              (SELECT count(*) FROM r WHERE u = 2147483647) AS open`,
      [id],
    );
    const { gaps, overlaps, open } = rows[0]!;
    if (Number(gaps) > 0) out.push(`${table}: ${gaps} ranges do not start where the previous one ended`);
    overlapping += Number(overlaps);
    if (Number(overlaps) > 0) out.push(`${table}: ${overlaps} ranges overlap an earlier one`);
    if (Number(open) !== 1) out.push(`${table}: ${open} open ranges (one expected)`);
  }
  return { overlaps: overlapping, violations: out };
}

/** Activities per reason: a save that left an activity without a tick wrote something it should not have. */
async function activityCounts(pool: pg.Pool, reasons: string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ reason: string; n: string }>(
    "SELECT reason, count(*) AS n FROM temporal_activity WHERE reason = ANY($1) GROUP BY reason",
    [reasons],
  );
  return new Map(rows.map((r) => [r.reason, Number(r.n)]));
}

export async function auditSaves(pool: pg.Pool, id: number, saves: Save[]): Promise<Audit> {
  const violations: string[] = [];
  const ticks = await ticksOf(pool, id);
  const byReason = new Map<string, Tick[]>();
  for (const t of ticks) byReason.set(t.reason, [...(byReason.get(t.reason) ?? []), t]);
  const attempted = new Set(saves.map((s) => s.reason));
  const unexplained = ticks.filter((t) => !attempted.has(t.reason));
  for (const t of unexplained) violations.push(`phantom: version ${t.tick} ("${t.reason}") comes from no save of this run`);
  const activities = await activityCounts(pool, [...attempted]);
  const ranges = await checkRanges(pool, id);
  const audit: Audit = {
    acknowledged: 0,
    stored: ticks.length,
    refused: 0,
    unknownStored: 0,
    unknownLost: 0,
    lost: 0,
    phantoms: unexplained.length,
    overlaps: ranges.overlaps,
    violations,
  };
  for (const save of saves) {
    const stored = byReason.get(save.reason) ?? [];
    const where = stored.map((t) => t.tick).join(", ");
    if (stored.length > 1) violations.push(`"${save.reason}" is stored ${stored.length} times (versions ${where})`);
    if ((activities.get(save.reason) ?? 0) !== stored.length) {
      violations.push(`"${save.reason}" left ${activities.get(save.reason) ?? 0} activities for ${stored.length} ticks`);
    }
    if (save.outcome === "acknowledged") {
      audit.acknowledged++;
      const [only] = stored;
      if (!only) {
        audit.lost++;
        violations.push(`lost: "${save.reason}" was acknowledged as version ${save.vclock} but is not stored`);
      } else if (only.tick !== save.vclock || only.location !== save.location) {
        audit.lost++;
        violations.push(
          `"${save.reason}" was acknowledged as version ${save.vclock} with "${save.location}", stored as ${only.tick} with "${only.location}"`,
        );
      }
    } else if (save.outcome === "refused") {
      audit.refused++;
      if (stored.length > 0) {
        audit.phantoms++;
        violations.push(`phantom: "${save.reason}" was reported as not saved but is stored (version ${where})`);
      }
    } else if (stored.length > 0) audit.unknownStored++;
    else audit.unknownLost++;
  }
  violations.push(...ranges.violations);
  return audit;
}
