/**
 * About two years of history, in time order: each month a bulk event (one activity,
 * hundreds of members), a provider opening or closing their panel, then individual
 * edits by named ops staff, each with its own reason.
 */
import { member, provider } from "@/db/schema";
import { restore, retire, tick, tickMany, type Changes, type TemporalDb, type TickManyEntry } from "@temporal-records/drizzle";
import type { MemberState } from "./enrolment";
import type { Random } from "./random";
import { CITIES, HISTORY_ENDS, isoDate, LAST, money, OPS, PLANS, premiumFor, TAGS } from "./vocabulary";

export type World = { members: MemberState[]; providerIds: number[] };
type MemberChanges = Changes<typeof member>;
type BulkChange = Partial<Pick<MemberState, "premium" | "renewsOn" | "primaryCareProviderId" | "coverage" | "tags">>;
type Who = { at: Date; actor: string; source: string };

const BULK_REASONS = [
  (at: Date) => `Premium adjustment effective ${isoDate(at).slice(0, 7)} (rate filing approved by state)`,
  (at: Date) => `Renewal dates rolled forward for members renewing in ${at.getUTCFullYear()}`,
  () => "Primary care reassigned after provider network rebalancing",
  () => "Coverage update: deductibles lowered and vision rider extended",
  () => "Program enrollment tags synced from care management",
];

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

/** What one month's bulk event (`kind`, 0 to 4) changes for one member. */
function bulkChange(rng: Random, kind: number, state: MemberState, providerIds: number[]): BulkChange {
  if (kind === 0) return { premium: state.premium * (1 + rng.int(2, 7) / 100) };
  if (kind === 1) {
    const renewsOn = new Date(Date.UTC(Number(state.renewsOn.slice(0, 4)) + 1, Number(state.renewsOn.slice(5, 7)) - 1, 1));
    return { renewsOn: isoDate(renewsOn) };
  }
  if (kind === 2) return { primaryCareProviderId: rng.pick(providerIds) };
  if (kind === 3) {
    const { deductible, vision } = state.coverage;
    return {
      coverage: { ...state.coverage, deductible: Math.max(250, deductible - 250 * rng.int(0, 2)), vision: vision || rng.chance(0.3) },
    };
  }
  return { tags: [...new Set([...state.tags, rng.pick(TAGS)])].sort() };
}

/** The month's bulk event: about 80% of the live members, one activity. Returns the ticks that changed something. */
async function bulkEvent(db: TemporalDb, rng: Random, world: World, month: number, at: Date): Promise<number> {
  const kind = month % 5;
  const live = world.members.filter((m) => !m.retired && m.enrolled < at.getTime());
  const entries: TickManyEntry<typeof member>[] = live
    .filter(() => rng.chance(0.8))
    .map((state) => {
      const { premium, ...changes } = bulkChange(rng, kind, state, world.providerIds);
      Object.assign(state, changes, premium === undefined ? {} : { premium });
      return { key: state.id, changes: { ...changes, ...(premium === undefined ? {} : { premium: money(premium) }) } };
    });
  const results = await tickMany(db, member, entries, {
    at,
    reason: BULK_REASONS[kind]!(at),
    actor: "ops-batch@cloverhealth.example",
    source: "batch-job",
    kind: "bulk",
  });
  return results.filter((r) => r.changed.length > 0).length;
}

/** Half an hour after the bulk event, one clinic closes or reopens its panel (and now and then moves). */
async function providerPanelChange(db: TemporalDb, rng: Random, world: World, month: number, at: Date) {
  const clinic = world.providerIds[month % world.providerIds.length]!;
  const accepting = month % 3 !== 0;
  await tick(
    db,
    provider,
    clinic,
    { acceptingNewPatients: accepting, ...(month % 4 === 0 ? { city: rng.pick(CITIES) } : {}) },
    {
      at: new Date(at.getTime() + 1_800_000),
      reason: accepting ? "Provider reopened their panel to new patients" : "Provider panel full: closed to new patients",
      actor: "network-sync",
      source: "provider-directory",
    },
  );
}

/** A change a member asked for: `roll` (0.04 to 1) picks which, and the member's state follows it. */
function requestedChange(rng: Random, roll: number, target: MemberState, when: Date, providerIds: number[]) {
  let changes: MemberChanges;
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
    const paperless = target.tags.includes("paperless");
    target.tags = target.tags
      .filter((t) => t !== "paperless")
      .concat(paperless ? [] : ["paperless"])
      .sort();
    changes = { tags: target.tags };
    reason = "Member updated communication preferences";
  }
  return { changes, reason };
}

/** One edit of one member: a re-enrolment, a cancellation or a requested change. Returns whether it ticked. */
async function individualEdit(db: TemporalDb, rng: Random, target: MemberState, who: Who, providerIds: number[]): Promise<boolean> {
  const roll = rng.next();
  if (target.retired) {
    if (roll >= 0.3) return false;
    await restore(db, member, target.id, { ...who, reason: "Member re-enrolled after a lapse; coverage reinstated" });
    target.retired = false;
    return true;
  }
  if (roll < 0.04) {
    await retire(db, member, target.id, { ...who, reason: "Member cancelled coverage (written request on file)" });
    target.retired = true;
    return true;
  }
  const { changes, reason } = requestedChange(rng, roll, target, who.at, providerIds);
  await tick(db, member, target.id, changes, { ...who, reason });
  return true;
}

/** The month's individual edits (1.8% of the members), spread over the 25 days after its bulk event. */
async function individualEdits(db: TemporalDb, rng: Random, world: World, at: Date): Promise<number> {
  const { members } = world;
  const edits = Math.max(1, Math.round(members.length * 0.018));
  let ticks = 0;
  for (let e = 0; e < edits; e++) {
    // Spread evenly whatever their number: the next bulk event comes after them.
    const when = new Date(at.getTime() + Math.round(((e + 1) * 25 * 86_400_000) / (edits + 1)));
    if (when.getTime() > HISTORY_ENDS) break;
    const target = rng.pick(members.slice(0, enrolledBefore(members, when.getTime())));
    const who = { at: when, actor: rng.pick(OPS), source: "admin-ui" };
    if (await individualEdit(db, rng, target, who, world.providerIds)) ticks++;
  }
  return ticks;
}

/** Every month from February 2024 until the history ends. Returns the member ticks written. */
export async function seedHistory(db: TemporalDb, rng: Random, world: World): Promise<number> {
  let ticks = 0;
  for (let month = 0; month < 34; month++) {
    const at = new Date(Date.UTC(2024 + Math.floor((month + 1) / 12), (month + 1) % 12, 10, 14, 0));
    if (at.getTime() > HISTORY_ENDS) break;
    ticks += await bulkEvent(db, rng, world, month, at);
    await providerPanelChange(db, rng, world, month, at);
    ticks += await individualEdits(db, rng, world, at);
  }
  return ticks;
}
