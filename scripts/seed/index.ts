/**
 * A deterministic demo data set: the talk's friends (back-dated to their real
 * dates), a provider network, and health-plan members with about two years of
 * history — bulk events (one activity, hundreds of records) and individual edits
 * by named ops staff, each with a reason.
 */
import { count } from "drizzle-orm";
import { create, createMany, retire, restore, tick, tickMany, type TemporalDb } from "@/lib/temporal";
import type { Auth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { friend, member, provider, type Coverage } from "@/db/schema";

type Plan = "bronze" | "silver" | "gold" | "platinum";
type MemberState = {
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

/** mulberry32: a tiny seeded PRNG, so every run builds the same data. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const FIRST = [
  "Ada",
  "Ben",
  "Carla",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jamal",
  "Keiko",
  "Luis",
  "Maya",
  "Noor",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tariq",
  "Uma",
  "Victor",
  "Wen",
  "Ximena",
  "Yusuf",
  "Zoe",
];
const LAST = [
  "Alvarez",
  "Brown",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Johnson",
  "Kim",
  "Lopez",
  "Martin",
  "Nguyen",
  "Okafor",
  "Patel",
  "Quist",
  "Rossi",
  "Singh",
  "Tanaka",
  "Umar",
  "Vega",
  "Wright",
  "Xu",
  "Young",
  "Zhang",
];
const CITIES = ["Newark", "Jersey City", "Paterson", "Trenton", "Camden", "Hoboken", "Princeton", "Edison"];
const SPECIALTIES = ["family_medicine", "internal_medicine", "pediatrics", "geriatrics", "cardiology"] as const;
const PLANS: Plan[] = ["bronze", "silver", "gold", "platinum"];
const BASE_PREMIUM: Record<Plan, number> = { bronze: 180, silver: 260, gold: 340, platinum: 450 };
const OPS = [
  "maria.ops@cloverhealth.example",
  "dev.lee@cloverhealth.example",
  "sam.support@cloverhealth.example",
  "priya.audit-fixes@cloverhealth.example",
];
const TAGS = ["wellness-program", "diabetes-care", "telehealth", "language:es", "paperless"];

/** The demo's history stops here, so the data set is the same whatever day it is loaded. */
const HISTORY_ENDS = Date.UTC(2026, 10, 16);

const day = (iso: string) => new Date(`${iso}T15:00:00Z`);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const money = (n: number) => n.toFixed(2);

/** The talk's example, exactly: three friends, seven changes, on their real dates. */
async function seedFriends(db: TemporalDb) {
  const who = (at: string, reason: string) => ({ at: day(at), reason, actor: "joey@pycon2017.example", source: "talk" });
  const dave = await create(db, friend, { name: "Dave", location: "Tucson" }, who("2010-09-13", "Met Dave in Tucson"));
  await tick(db, friend, dave.id, { location: "San Francisco" }, who("2013-05-02", "Dave moved to San Francisco"));
  const rachel = await create(db, friend, { name: "Rachel", location: "New York" }, who("2014-10-08", "Met Rachel in New York"));
  const will = await create(db, friend, { name: "Will", location: "San Francisco" }, who("2015-09-22", "Met Will in San Francisco"));
  await tick(
    db,
    friend,
    rachel.id,
    { location: "San Francisco" },
    who("2016-01-08", "Rachel moved from New York to San Francisco for a new job"),
  );
  await tick(db, friend, dave.id, { location: "Berkeley" }, who("2016-08-19", "Dave moved across the bay to Berkeley"));
  await tick(db, friend, will.id, { location: "Oakland" }, who("2016-09-29", "Will moved to Oakland"));
}

function premiumFor(plan: Plan, dateOfBirth: string, year: number): number {
  const age = year - Number(dateOfBirth.slice(0, 4));
  return BASE_PREMIUM[plan] * (1 + Math.max(0, age - 30) * 0.012);
}

/** How many members (enrolled in time order) had enrolled before `time`. */
function enrolledBefore(members: MemberState[], time: number): number {
  let low = 0;
  let high = members.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (members[mid]!.enrolled < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

export type SeedOptions = {
  members?: number;
  log?: (line: string) => void;
  /** Signs people in; with it, the demo's three accounts (one per role) are created. */
  auth?: Auth;
};

/** Loads the demo data into an empty, migrated database. Returns what it made. */
export async function seed(db: TemporalDb, options: SeedOptions = {}) {
  const size = options.members ?? 1000;
  const log = options.log ?? (() => {});
  const rng = random(20170520);
  const [existing] = await db.select({ n: count() }).from(friend);
  if ((existing?.n ?? 0) > 0) return { skipped: true as const };

  await seedFriends(db);
  log("friends: the talk's example");

  const providerCount = Math.max(8, Math.round(size / 25));
  const providers = await createMany(
    db,
    provider,
    Array.from({ length: providerCount }, (_, i) => ({
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
  const providerIds = providers.map((p) => p.id);
  log(`providers: ${providers.length}`);

  // Members enrol in monthly cohorts through 2024.
  const members: MemberState[] = [];
  let nextNumber = 1;
  for (let month = 0; month < 12; month++) {
    const cohort = Math.floor(size / 12) + (month < size % 12 ? 1 : 0);
    const enrolled = new Date(Date.UTC(2024, month, 3, 15));
    const rows = Array.from({ length: cohort }, () => {
      const plan = rng.pick(PLANS);
      const dateOfBirth = `${rng.int(1940, 2004)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
      return {
        memberNumber: `CH-${String(nextNumber++).padStart(6, "0")}`,
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
    });
    const created = await createMany(db, member, rows, {
      at: enrolled,
      reason: `Enrollment batch for ${enrolled.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" })}`,
      actor: "enrollment-sync",
      source: "enrollment-feed",
      kind: "import",
    });
    for (const m of created) {
      members.push({
        id: m.id,
        fullName: m.fullName,
        dateOfBirth: m.dateOfBirth,
        plan: m.plan,
        premium: Number(m.premium),
        primaryCareProviderId: m.primaryCareProviderId,
        coverage: m.coverage,
        tags: m.tags,
        renewsOn: m.renewsOn,
        retired: false,
        enrolled: enrolled.getTime(),
      });
    }
  }
  log(`members: ${members.length}`);

  // History: monthly bulk events and individual edits, in time order.
  let ticks = 0;
  const live = (before: Date) => members.filter((m) => !m.retired && m.enrolled < before.getTime());
  for (let month = 0; month < 34; month++) {
    const year = 2024 + Math.floor((month + 1) / 12);
    const m = (month + 1) % 12;
    const at = new Date(Date.UTC(year, m, 10, 14, 0));
    if (at.getTime() > HISTORY_ENDS) break;
    const kind = month % 5;
    const subset = live(at).filter(() => rng.chance(0.8));
    const entries = subset.map((s) => {
      let changes: Partial<Omit<MemberState, "id" | "retired">> = {};
      if (kind === 0) changes = { premium: s.premium * (1 + rng.int(2, 7) / 100) };
      if (kind === 1)
        changes = { renewsOn: isoDate(new Date(Date.UTC(Number(s.renewsOn.slice(0, 4)) + 1, Number(s.renewsOn.slice(5, 7)) - 1, 1))) };
      if (kind === 2) changes = { primaryCareProviderId: rng.pick(providerIds) };
      if (kind === 3)
        changes = {
          coverage: {
            ...s.coverage,
            deductible: Math.max(250, s.coverage.deductible - 250 * rng.int(0, 2)),
            vision: s.coverage.vision || rng.chance(0.3),
          },
        };
      if (kind === 4) changes = { tags: [...new Set([...s.tags, rng.pick(TAGS)])].sort() };
      Object.assign(s, changes);
      return { key: s.id, changes: { ...changes, ...(changes.premium !== undefined ? { premium: money(changes.premium) } : {}) } };
    });
    const reasons = [
      `Premium adjustment effective ${isoDate(at).slice(0, 7)} (rate filing approved by state)`,
      `Renewal dates rolled forward for members renewing in ${year}`,
      "Primary care reassigned after provider network rebalancing",
      "Coverage update: deductibles lowered and vision rider extended",
      "Program enrollment tags synced from care management",
    ];
    const results = await tickMany(db, member, entries as never, {
      at,
      reason: reasons[kind]!,
      actor: "ops-batch@cloverhealth.example",
      source: "batch-job",
      kind: "bulk",
    });
    ticks += results.filter((r) => r.changed.length > 0).length;

    const clinic = providers[month % providers.length]!;
    const accepting = month % 3 !== 0;
    await tick(
      db,
      provider,
      clinic.id,
      { acceptingNewPatients: accepting, ...(month % 4 === 0 ? { city: rng.pick(CITIES) } : {}) },
      {
        at: new Date(at.getTime() + 1_800_000),
        reason: accepting ? "Provider reopened their panel to new patients" : "Provider panel full: closed to new patients",
        actor: "network-sync",
        source: "provider-directory",
      },
    );

    // Individual edits during the rest of the month, each with its own reason.
    const edits = Math.max(1, Math.round(members.length * 0.018));
    for (let e = 0; e < edits; e++) {
      // Spread the month's edits over its next 25 days, whatever their number: the next bulk event comes after them.
      const when = new Date(at.getTime() + Math.round(((e + 1) * 25 * 86_400_000) / (edits + 1)));
      if (when.getTime() > HISTORY_ENDS) break;
      const target = rng.pick(members.slice(0, enrolledBefore(members, when.getTime())));
      const actor = rng.pick(OPS);
      const who = { at: when, actor, source: "admin-ui" };
      const roll = rng.next();
      if (target.retired) {
        if (roll < 0.3) {
          await restore(db, member, target.id, { ...who, reason: "Member re-enrolled after a lapse; coverage reinstated" });
          target.retired = false;
          ticks++;
        }
        continue;
      }
      if (roll < 0.04) {
        await retire(db, member, target.id, { ...who, reason: "Member cancelled coverage (written request on file)" });
        target.retired = true;
        ticks++;
        continue;
      }
      let changes: Record<string, unknown>;
      let reason: string;
      if (roll < 0.35) {
        const plan = rng.pick(PLANS.filter((p) => p !== target.plan));
        target.plan = plan;
        target.premium = premiumFor(plan, target.dateOfBirth, when.getUTCFullYear());
        changes = { plan, premium: money(target.premium) };
        reason = `Member called to switch to the ${plan} plan`;
      } else if (roll < 0.6) {
        target.primaryCareProviderId = rng.pick(providerIds);
        changes = { primaryCareProviderId: target.primaryCareProviderId };
        reason = "Changed primary care provider at the member's request";
      } else if (roll < 0.75) {
        const [first, last] = target.fullName.split(" ");
        target.fullName = `${first} ${rng.pick(LAST)}-${last}`;
        changes = { fullName: target.fullName };
        reason = "Name change after marriage (certificate verified)";
      } else if (roll < 0.85) {
        const d = target.dateOfBirth;
        target.dateOfBirth = `${d.slice(0, 8)}${String(Math.min(28, Number(d.slice(8)) + 1)).padStart(2, "0")}`;
        changes = { dateOfBirth: target.dateOfBirth };
        reason = "Corrected date of birth to match the member's ID card";
      } else {
        target.tags = target.tags
          .filter((t) => t !== "paperless")
          .concat(target.tags.includes("paperless") ? [] : ["paperless"])
          .sort();
        changes = { tags: target.tags };
        reason = "Member updated communication preferences";
      }
      await tick(db, member, target.id, changes as never, { ...who, reason });
      ticks++;
    }
  }
  log(`member ticks after creation: ${ticks}`);
  if (options.auth) {
    for (const account of DEMO_ACCOUNTS) {
      await createStaff(db, options.auth, account, {
        reason: "Demo account (public password, see the README)",
        actor: "seed",
        actorName: "Demo seed",
      });
    }
    log(`people: ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")}`);
  }
  return { skipped: false as const, members: members.length, providers: providers.length, ticks };
}
