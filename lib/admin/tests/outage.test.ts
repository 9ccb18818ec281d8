/**
 * A database outage while someone edits or signs in: the app's connections go through a
 * TCP relay to the real server, and the relay is cut (every open connection dropped, new
 * ones refused), as a network failure or a stopped server would. Each action answers
 * "the database is unavailable, nothing was saved" as a typed result, never an error
 * page; once the relay is back, nothing was written. Needs a real server (DATABASE_URL):
 * the embedded PGlite has no connection to lose.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { count } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import type { Database } from "@/db/client";
import { databaseDown, PROBE_EVERY_MS, settled } from "@/db/health";
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from "@/db/unavailable";
import { friend } from "@/db/schema";
import { migratedDatabase } from "@/db/tests/database";
import { getAuth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import { create, temporalActivity, type TemporalDb } from "@temporal-records/drizzle";
import { form, idle } from "./submitted";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { updateRecord, setRetired } = await import("@/app/(app)/t/[table]/[id]/actions");
const { createRecord } = await import("@/app/(app)/t/[table]/new/actions");
const { undoActivity } = await import("@/app/(app)/activity/(undo)/[id]/undo/actions");
const { signIn } = await import("@/app/sign-in/actions");
const { requireUser } = await import("@/lib/auth/session");
const { proxy } = await import("@/proxy");

/** A TCP relay to the database server that can be cut and restored. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}
  async open() {
    this.server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }
  /** Drops every connection and stops listening: new connections are refused. */
  async cut() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

const url = process.env.DATABASE_URL;
let direct: Database & { url?: string };
let relay: Relay;
let pool: pg.Pool;
let friendId: number;
const person = {
  email: `outage-${process.pid}@test.example`,
  name: "Outage Editor",
  role: "editor" as const,
  password: "a-long-password-1",
};
const activities = async () => (await direct.db.select({ n: count() }).from(temporalActivity))[0]!.n;

describe.skipIf(!url)("during a database outage", () => {
  beforeAll(async () => {
    direct = await migratedDatabase();
    const target = new URL(direct.url!);
    relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) }, 40_000 + (process.pid % 20_000));
    await relay.open();
    const relayed = new URL(direct.url!);
    relayed.host = `127.0.0.1:${relay.port}`;
    pool = new pg.Pool({ connectionString: relayed.toString(), connectionTimeoutMillis: 2000 });
    pool.on("error", () => undefined);
    // The app's database (db/client.ts keeps its cache object from import time: fill that one) goes through the relay.
    const client = globalThis as { __temporalDatabase?: { open?: Promise<Database> } };
    (client.__temporalDatabase ??= {}).open = Promise.resolve({
      db: drizzle(pool) as unknown as TemporalDb,
      kind: "postgres",
      close: () => pool.end(),
    });
    const auth = await getAuth();
    await createStaff(direct.db, auth, person, { reason: "test set-up", actor: "vitest" });
    const signedIn = await auth.api.signInEmail({ body: { email: person.email, password: person.password }, returnHeaders: true });
    request.headers = new Headers({
      cookie: signedIn.headers
        .getSetCookie()
        .map((line) => line.split(";")[0]!)
        .join("; "),
    });
    friendId = (await create(direct.db, friend, { name: "Outage", location: "Boise" }, { reason: "test set-up", actor: "vitest" })).id;
    await relay.cut();
  });
  afterAll(async () => {
    await pool?.end().catch(() => undefined);
    await direct?.close();
  });

  const UNAVAILABLE = {
    status: "error",
    code: "DATABASE_UNAVAILABLE",
    message: "The database is unavailable right now, so nothing was saved. Try again in a moment.",
  };

  it("an edit, a retirement, a new record and an undo say the database is unavailable and nothing was saved", async () => {
    const before = await activities();
    const where = { table: "friend", id: String(friendId) };
    expect(await updateRecord(where, idle, form({ "field.location": "Reno", vclock: 1, reason: "moved" }))).toEqual(UNAVAILABLE);
    expect(await setRetired(where, idle, form({ retired: "true", vclock: 1, reason: "left" }))).toEqual(UNAVAILABLE);
    expect(await createRecord("friend", idle, form({ "field.name": "Newcomer", reason: "met" }))).toEqual(UNAVAILABLE);
    expect(await undoActivity("1", idle, form({ reason: "undo" }))).toEqual(UNAVAILABLE);
    expect(await activities()).toBe(before);
  });

  it("a page's session check reports the outage, and the proxy then answers pages 503 with the outage page until the database answers", async () => {
    // better-auth's lookup fails as "Failed to get session", without the driver's error: it must still read as an outage.
    const failed = await requireUser("auditor").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDatabaseUnavailable(failed)).toBe(true);
    expect((failed as { digest?: string }).digest).toBe(DATABASE_UNAVAILABLE);
    const page = (path: string, method = "GET") =>
      proxy(new NextRequest(new URL(path, "http://127.0.0.1:3000"), { method, headers: request.headers }));
    const answer = page("/t/friend");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await answer.text()).toContain(
      "The database is unavailable right now, so records and their history cannot be read. Nothing was changed.",
    );
    // Server actions (POST) and the exports answer the outage themselves.
    expect(page("/t/friend", "POST").status).not.toBe(503);
    expect(page("/activity/export").status).not.toBe(503);
    // The probe reaches the server (this test cut only the app's relay, not DATABASE_URL): pages pass again.
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    expect(databaseDown()).toBe(true);
    await settled();
    expect(databaseDown()).toBe(false);
    expect(page("/t/friend").status).not.toBe(503);
  });

  it("sign-in says the database is unavailable and that nobody was signed in", async () => {
    const result = await signIn({}, form({ email: person.email, password: person.password, next: "/" }));
    expect(result).toEqual({
      error: "The database is unavailable right now, so you were not signed in. Try again in a moment.",
      email: person.email,
    });
  });
});
