/**
 * People who may sign in: a better-auth identity (email, password hash) plus a
 * row in the temporal `staff` table (name, role). Adding, role changes and
 * removal are ticks with a reason, like every other change.
 */
import "server-only";
import { and, count, eq, ne, sql } from "drizzle-orm";
import { authUser } from "@/db/auth-schema";
import { staff } from "@/db/schema";
import { create, InvalidValueError, type ActivityInput, type TemporalDb } from "@temporal-records/drizzle";
import { normalizeEmail } from "./lockout";
import type { Role } from "./roles";
import { PASSWORD_LENGTH, type Auth } from "./server";

export type StaffMember = { id: string; email: string; name: string; role: Role };

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
    throw new InvalidValueError(`A password needs ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters.`, "password");
  }
}

/** Creates a person who can sign in with `password`, with one role, under `activity`. */
export async function createStaff(
  db: TemporalDb,
  auth: Auth,
  person: { email: string; name: string; role: Role; password: string },
  activity: ActivityInput,
): Promise<StaffMember> {
  checkPassword(person.password);
  const email = normalizeEmail(person.email);
  const [taken] = await db.select({ id: authUser.id }).from(authUser).where(eq(authUser.email, email));
  if (taken) throw new InvalidValueError(`Someone already signs in as ${email}.`, "email");
  const context = await auth.$context;
  const user = await context.internalAdapter.createUser({ email, name: person.name, emailVerified: true }, { method: "admin" });
  try {
    await context.internalAdapter.linkAccount({
      userId: user.id,
      providerId: "credential",
      accountId: user.id,
      password: await context.password.hash(person.password),
    });
    const row = await create(db, staff, { id: user.id, email, name: person.name, role: person.role }, activity);
    return { id: row.id, email: row.email, name: row.name, role: row.role };
  } catch (error) {
    // No half-made people: an identity without a staff row could never be used, but it would hold the email.
    await db.delete(authUser).where(eq(authUser.id, user.id));
    throw error;
  }
}

/** The staff row of a signed-in identity, or undefined when they have none or were retired. */
export async function activeStaff(db: TemporalDb, id: string): Promise<StaffMember | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id));
  if (!row || row.retired) return undefined;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/**
 * Refused: the change would leave nobody who can manage people (every admin retired or
 * demoted). `field` is the form control the refusal belongs to (`role` for a demotion).
 */
export class LastAdminError extends Error {
  readonly code = "LAST_ADMIN";
  readonly field?: "role";
  constructor(name: string, field?: "role") {
    super(
      `Nothing was saved: ${name} is the only active admin, and someone must be able to manage people. Make another person an admin first.`,
    );
    this.name = "LastAdminError";
    this.field = field;
  }
}

/** One lock for every change that may take away an admin: such changes run one at a time. */
const ADMINS_LOCK = 0x7374_6166; // "staf"

/**
 * Inside a write's transaction, before it: refuses (LastAdminError) to retire or demote
 * the last active admin. It takes a transaction-level advisory lock first, so two admins
 * demoting each other at once are serialized: the second counts after the first commits.
 *
 * @example
 * await withActivity(db, activity, async (tx) => {
 *   await refuseLastAdmin(tx, id, { role: "editor" });
 *   await tick(tx, staff, id, { role: "editor" });
 * });
 */
export async function refuseLastAdmin(tx: TemporalDb, id: string, change: { role?: Role; retire?: boolean }): Promise<void> {
  const demotes = change.role !== undefined && change.role !== "admin";
  if (!demotes && !change.retire) return;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${ADMINS_LOCK})`);
  const [person] = await tx.select().from(staff).where(eq(staff.id, id));
  if (!person || person.retired || person.role !== "admin") return;
  const [others] = await tx
    .select({ n: count() })
    .from(staff)
    .where(and(eq(staff.role, "admin"), eq(staff.retired, false), ne(staff.id, id)));
  if (others!.n === 0) throw new LastAdminError(person.name, demotes ? "role" : undefined);
}
