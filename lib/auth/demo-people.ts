import "server-only";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import type { TemporalDb } from "@temporal-records/drizzle";
import { authFor } from "./server";
import { createStaff } from "./staff";

/** The demo's people, one per role, with the public passwords of db/demo-accounts.ts. Returns their emails. */
export async function createDemoPeople(db: TemporalDb): Promise<string[]> {
  const auth = authFor(db);
  for (const account of DEMO_ACCOUNTS) {
    await createStaff(db, auth, account, {
      reason: "Demo account (public password, see the README)",
      actor: "seed",
      actorName: "Demo seed",
    });
  }
  return DEMO_ACCOUNTS.map((account) => account.email);
}
