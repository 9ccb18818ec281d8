/**
 * One record with a long history, for the auditor's screens: a walk-in clinic whose panel the
 * scheduling system opens and closes every day from February 2024 until the history ends
 * (about a thousand ticks, each its own activity), so its timelines must be reduced to fit.
 */
import { provider } from "@/db/schema";
import { create, tick, type TemporalDb } from "@temporal-records/drizzle";
import { HISTORY_ENDS } from "./vocabulary";

export const LONG_HISTORY_CLINIC = "Bayview Walk-in Clinic";

const DAY = 86_400_000;
const who = (at: Date, reason: string) => ({ at, reason, actor: "scheduling-sync", source: "clinic-scheduling" });

/** Returns the clinic's id and how many times its panel changed. */
export async function seedLongHistory(db: TemporalDb): Promise<{ id: number; ticks: number }> {
  const opened = new Date(Date.UTC(2024, 1, 1, 13, 0));
  const clinic = await create(
    db,
    provider,
    { name: LONG_HISTORY_CLINIC, specialty: "family_medicine", city: "Oakland", acceptingNewPatients: true },
    who(opened, "Walk-in clinic joined the network"),
  );
  let ticks = 0;
  for (let at = opened.getTime() + DAY; at <= HISTORY_ENDS; at += DAY) {
    const accepting = ticks % 2 === 1;
    await tick(
      db,
      provider,
      clinic.id,
      { acceptingNewPatients: accepting },
      who(new Date(at), accepting ? "Daily sync: panel open again after the morning's walk-ins" : "Daily sync: panel full for the day"),
    );
    ticks++;
  }
  return { id: clinic.id, ticks };
}
