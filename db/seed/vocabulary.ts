/** The demo's words and numbers: names, places, plans and the moment its history ends. */

export type Plan = "bronze" | "silver" | "gold" | "platinum";

export const FIRST = [
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
export const LAST = [
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
export const CITIES = ["Newark", "Jersey City", "Paterson", "Trenton", "Camden", "Hoboken", "Princeton", "Edison"];
export const SPECIALTIES = ["family_medicine", "internal_medicine", "pediatrics", "geriatrics", "cardiology"] as const;
export const PLANS: Plan[] = ["bronze", "silver", "gold", "platinum"];
export const BASE_PREMIUM: Record<Plan, number> = { bronze: 180, silver: 260, gold: 340, platinum: 450 };
export const OPS = [
  "maria.ops@cloverhealth.example",
  "dev.lee@cloverhealth.example",
  "sam.support@cloverhealth.example",
  "priya.audit-fixes@cloverhealth.example",
];
export const TAGS = ["wellness-program", "diabetes-care", "telehealth", "language:es", "paperless"];

/** The demo's history stops here, so the data set is the same whatever day it is loaded. */
export const HISTORY_ENDS = Date.UTC(2026, 10, 16);

export const day = (iso: string) => new Date(`${iso}T15:00:00Z`);
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
export const money = (n: number) => n.toFixed(2);

export function premiumFor(plan: Plan, dateOfBirth: string, year: number): number {
  const age = year - Number(dateOfBirth.slice(0, 4));
  return BASE_PREMIUM[plan] * (1 + Math.max(0, age - 30) * 0.012);
}
