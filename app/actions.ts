"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ACTOR_COOKIE } from "@/lib/admin/actor";

const setActorSchema = z.object({ actor: z.string().trim().min(1, "Enter your name or email.").max(120, "At most 120 characters.") });

/** Names the person acting in this browser (a stand-in until sign-in exists). */
export async function setActor(_: unknown, form: FormData): Promise<{ error?: string }> {
  const parsed = setActorSchema.safeParse({ actor: form.get("actor") });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message };
  (await cookies()).set(ACTOR_COOKIE, parsed.data.actor, { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
  revalidatePath("/", "layout");
  return {};
}
