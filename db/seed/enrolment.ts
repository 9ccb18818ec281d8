/** The provider network and the members, as they were on the day each enrolled. */
import { member, provider, type Coverage } from "@/db/schema";
import { createMany, type TemporalDb } from "@temporal-records/drizzle";
import type { Random } from "./random";
import { CITIES, day, FIRST, isoDate, LAST, money, PLANS, premiumFor, SPECIALTIES, TAGS, type Plan } from "./vocabulary";

/** What the seed remembers of a member while it writes their history (the database holds the same). */
export type MemberState = {
  id: number;
  fullName: string;
  dateOfBirth: string;
  plan: Plan;
  premium: number;
  primaryCareProviderId: number | null;
  coverage: Coverage;
  tags: string[];
  renewsOn: string;
  retired: boolean;
  enrolled: number;
};

/** One provider for every 25 members (at least 8), imported in one activity. */
export async function seedProviders(db: TemporalDb, rng: Random, members: number) {
  const count = Math.max(8, Math.round(members / 25));
  return createMany(
    db,
    provider,
    Array.from({ length: count }, (_, i) => ({
      name: `Dr. ${rng.pick(FIRST)} ${rng.pick(LAST)}`,
      specialty: SPECIALTIES[i % SPECIALTIES.length]!,
      city: rng.pick(CITIES),
    })),
    {
      at: day("2023-06-01"),
      reason: "Initial provider network import",
      actor: "network-sync",
      source: "provider-directory",
      kind: "import",
    },
  );
}

function newMember(rng: Random, memberNumber: number, providerIds: number[], month: number) {
  const plan = rng.pick(PLANS);
  const dateOfBirth = `${rng.int(1940, 2004)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
  return {
    memberNumber: `CH-${String(memberNumber).padStart(6, "0")}`,
    fullName: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
    dateOfBirth,
    plan,
    premium: money(premiumFor(plan, dateOfBirth, 2024)),
    primaryCareProviderId: rng.pick(providerIds),
    coverage: {
      dental: plan !== "bronze",
      vision: plan === "gold" || plan === "platinum",
      deductible: plan === "bronze" ? 3000 : plan === "silver" ? 1500 : 500,
    },
    tags: rng.chance(0.3) ? [rng.pick(TAGS)] : [],
    renewsOn: isoDate(new Date(Date.UTC(2025, month, 1))),
  };
}

/** Members enrol in twelve monthly cohorts through 2024, one import activity each; returned in enrolment order. */
export async function enrolMembers(db: TemporalDb, rng: Random, size: number, providerIds: number[]): Promise<MemberState[]> {
  const members: MemberState[] = [];
  for (let month = 0; month < 12; month++) {
    const cohort = Math.floor(size / 12) + (month < size % 12 ? 1 : 0);
    const enrolled = new Date(Date.UTC(2024, month, 3, 15));
    const rows = Array.from({ length: cohort }, (_, i) => newMember(rng, members.length + 1 + i, providerIds, month));
    const created = await createMany(db, member, rows, {
      at: enrolled,
      reason: `Enrollment batch for ${enrolled.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" })}`,
      actor: "enrollment-sync",
      source: "enrollment-feed",
      kind: "import",
    });
    for (const m of created) {
      const { id, fullName, dateOfBirth, plan, primaryCareProviderId, coverage, tags, renewsOn } = m;
      members.push({
        id,
        fullName,
        dateOfBirth,
        plan,
        premium: Number(m.premium),
        primaryCareProviderId,
        coverage,
        tags,
        renewsOn,
        retired: false,
        enrolled: enrolled.getTime(),
      });
    }
  }
  return members;
}
