import { cookies } from "next/headers";

/**
 * Who is acting. Until sign-in exists, staff name themselves once per browser
 * and the server reads it from a cookie: actions never take the actor from the
 * submitted form.
 */
export const ACTOR_COOKIE = "actor";

export function validActor(value: string | undefined): value is string {
  return typeof value === "string" && value.trim().length > 0 && value.length <= 120;
}

export async function currentActor(): Promise<string | undefined> {
  const value = (await cookies()).get(ACTOR_COOKIE)?.value;
  return validActor(value) ? value.trim() : undefined;
}
