/**
 * A deterministic demo data set: the talk's friends (back-dated to their real
 * dates), a provider network, and health-plan members with about two years of
 * history — bulk events (one activity, hundreds of records) and individual edits
 * by named ops staff, each with a reason — and one clinic ticked daily (a long history). Same seed, same data, whatever the day.
 */
import { count } from "drizzle-orm";
import { friend } from "@/db/schema";
import type { TemporalDb } from "@temporal-records/drizzle";
import { enrolMembers, seedProviders } from "./enrolment";
import { seedFriends } from "./friends";
import { seedHistory } from "./history";
import { seedLongHistory } from "./long-history";
import { random } from "./random";

export type SeedOptions = {
  members?: number;
  log?: (line: string) => void;
  /**
   * Adds the people who may sign in, last; returns their emails. Passwords need lib/auth, which db/ may not import,
   * so the caller passes it in (`createDemoPeople` from lib/auth/demo-people.ts).
   */
  people?: (db: TemporalDb) => Promise<string[]>;
};

/** Loads the demo data into an empty, migrated database. Returns what it made. */
export async function seed(db: TemporalDb, options: SeedOptions = {}) {
  const size = options.members ?? 1000;
  const log = options.log ?? (() => {});
  const [existing] = await db.select({ n: count() }).from(friend);
  if ((existing?.n ?? 0) > 0) return { skipped: true as const };

  const rng = random(20170520);
  await seedFriends(db);
  log("friends: the talk's example");
  const providers = await seedProviders(db, rng, size);
  const providerIds = providers.map((p) => p.id);
  log(`providers: ${providers.length}`);
  const members = await enrolMembers(db, rng, size, providerIds);
  log(`members: ${members.length}`);
  const ticks = await seedHistory(db, rng, { members, providerIds });
  log(`member ticks after creation: ${ticks}`);
  const clinic = await seedLongHistory(db);
  log(`a clinic with a long history: provider ${clinic.id}, ${clinic.ticks} ticks`);
  if (options.people) log(`people: ${(await options.people(db)).join(", ")}`);
  return { skipped: false as const, members: members.length, providers: providers.length, ticks };
}
