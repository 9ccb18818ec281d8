/**
 * A deterministic demo data set: the talk's friends (back-dated to their real
 * dates), a provider network, and health-plan members with about two years of
 * history — bulk events (one activity, hundreds of records) and individual edits
 * by named ops staff, each with a reason. Same seed, same data, whatever the day.
 */
import { count } from "drizzle-orm";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { friend } from "@/db/schema";
import type { Auth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import type { TemporalDb } from "@/lib/temporal";
import { enrolMembers, seedProviders } from "./enrolment";
import { seedFriends } from "./friends";
import { seedHistory } from "./history";
import { random } from "./random";

export type SeedOptions = {
  members?: number;
  log?: (line: string) => void;
  /** Signs people in; with it, the demo's three accounts (one per role) are created. */
  auth?: Auth;
};

/** The demo's people, one per role, with the public passwords of db/demo-accounts.ts. */
async function createDemoPeople(db: TemporalDb, auth: Auth) {
  for (const account of DEMO_ACCOUNTS) {
    await createStaff(db, auth, account, {
      reason: "Demo account (public password, see the README)",
      actor: "seed",
      actorName: "Demo seed",
    });
  }
}

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
  if (options.auth) {
    await createDemoPeople(db, options.auth);
    log(`people: ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")}`);
  }
  return { skipped: false as const, members: members.length, providers: providers.length, ticks };
}
