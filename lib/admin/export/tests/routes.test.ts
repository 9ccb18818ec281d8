/**
 * The export routes on PGlite (or DATABASE_URL) with real sessions: who may export (401,
 * 403), what a bad query answers (400 naming each parameter), and that the file is RFC 4180
 * or a JSON array whose rows, count and SHA-256 match its manifest, and stay the same for the
 * manifest's URL after later writes. Only Next's request plumbing (the request's headers and
 * cookies) is replaced, as in lib/admin/action.test.ts.
 */
import { createHash } from "node:crypto";
import { count, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { friend, member, staff } from "@/db/schema";
import { appSchema, serveAppFrom, withTestDb } from "@/db/tests/database";
import { getAuth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import { create, createMany, retire, temporalActivity, tick } from "@temporal-records/drizzle";
import type { Manifest } from "../plan";
import { readCsv } from "./csv-reader";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));

const activityRoute = await import("@/app/(app)/activity/export/route");
const historyRoute = await import("@/app/(app)/t/[table]/[id]/history/export/route");
const { activityExportPlan } = await import("../activity");
const { exportResponse } = await import("../plan");
const { activityExportHref, historyExportHref } = await import("../links");

const database = withTestDb(appSchema);
const cookies: Record<"auditor" | "retired", string> = { auditor: "", retired: "" };
const setUp = { reason: "test set-up", actor: "vitest", actorName: "Vitest" };
const NASTY = [
  '=HYPERLINK("http://evil.example","click")',
  'He said "no", twice',
  "line one\nline two",
  "carriage\rreturn and\r\nboth",
  "-5 dollars refunded",
  "+1 for the renewal",
  "@channel moved",
  "\tTabbed in",
];
let friendId = 0;
let memberId = 0;

const base = "http://app.test";
const as = (who: keyof typeof cookies | null) => {
  request.headers = new Headers(who ? { cookie: cookies[who] } : {});
};
const getActivity = (query: string) => activityRoute.GET(new NextRequest(`${base}/activity/export${query}`));
const getHistory = (table: string, id: string | number, query: string) =>
  historyRoute.GET(new NextRequest(`${base}/t/${table}/${id}/history/export${query}`), {
    params: Promise.resolve({ table, id: String(id) }),
  });
const get = (url: string) => {
  const { pathname } = new URL(url, base);
  const history = /^\/t\/([^/]+)\/([^/]+)\/history\/export$/.exec(pathname);
  if (history)
    return historyRoute.GET(new NextRequest(new URL(url, base)), { params: Promise.resolve({ table: history[1]!, id: history[2]! }) });
  return activityRoute.GET(new NextRequest(new URL(url, base)));
};
const sha256 = (bytes: ArrayBuffer) => createHash("sha256").update(Buffer.from(bytes)).digest("hex");
const manifestOf = async (response: Response) => {
  expect(response.status).toBe(200);
  return (await response.json()) as Manifest;
};

async function signIn(email: string, password: string): Promise<string> {
  const auth = await getAuth();
  const signedIn = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
  return signedIn.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
}

beforeAll(async () => {
  serveAppFrom(database);
  const auth = await getAuth();
  const auditor = {
    email: `export-auditor-${process.pid}@test.example`,
    name: "Ada Auditor",
    role: "auditor" as const,
    password: "auditor-password",
  };
  const leaver = {
    email: `export-leaver-${process.pid}@test.example`,
    name: "Lee Leaver",
    role: "editor" as const,
    password: "leaver-password",
  };
  await createStaff(database.db, auth, auditor, setUp);
  const left = await createStaff(database.db, auth, leaver, setUp);
  cookies.auditor = await signIn(auditor.email, auditor.password);
  cookies.retired = await signIn(leaver.email, leaver.password);
  // Their session still stands, but they hold no role any more.
  await retire(database.db, staff, left.id, { reason: "Left the team", actor: "vitest" });

  const row = await create(
    database.db,
    friend,
    { name: "Nadia", location: "Lima" },
    { reason: NASTY[0]!, actor: "ops@clover", actorName: "Ops" },
  );
  friendId = row.id;
  for (const [i, reason] of NASTY.slice(1).entries()) {
    await tick(
      database.db,
      friend,
      friendId,
      { location: `Stop ${i + 1}`, ...(i === 2 ? { name: "Nadia B." } : {}) },
      { reason, actor: "ops@clover" },
    );
  }
  const m = await create(
    database.db,
    member,
    {
      memberNumber: "M-EXP-1",
      // A leading "-" (a formula in a spreadsheet) in a name; "=" is the friend's location above. Premiums are never negative.
      fullName: "-Formula Name",
      dateOfBirth: "1980-02-29",
      plan: "gold",
      premium: "12.50",
      coverage: { dental: true, vision: false, deductible: 500 },
      tags: ["a,b", 'say "x"'],
      renewsOn: "2027-01-01",
    },
    { reason: "Enrolled", actor: "intake", actorName: "Intake desk" },
  );
  memberId = m.id;
  await tick(database.db, member, memberId, { plan: "platinum", tags: [] }, { reason: "Upgraded", actor: "intake" });
});

describe("who may export", () => {
  it("answers 401 without a session, and with a session cookie that names no session", async () => {
    as(null);
    for (const response of [await getActivity("?format=csv"), await getHistory("friend", friendId, "?format=csv")]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        error: "unauthorized",
        message: "Sign in first: this needs a session (none was sent, or it has ended).",
      });
    }
    request.headers = new Headers({ cookie: "better-auth.session_token=forged.value" });
    expect((await getActivity("?format=csv")).status).toBe(401);
  });

  it("answers 403 to a signed-in person who holds no role (retired from staff), before reading the query", async () => {
    as("retired");
    const response = await getActivity("?format=nonsense");
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: "forbidden",
      message: "You are signed in but hold no role here. Ask an admin for access.",
    });
    expect((await getHistory("friend", friendId, "?format=csv")).status).toBe(403);
  });
});

describe("bad queries", () => {
  const issuesOf = async (response: Response) => {
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; issues: { param: string; message: string }[] };
    expect(body.error).toBe("bad_request");
    expect(body.message).toMatch(/^Fix the query and try again: /);
    return body.issues;
  };

  it("names each bad parameter and what to do: format, until, dates, zone, table, unknown and repeated ones", async () => {
    as("auditor");
    expect(await issuesOf(await getActivity(""))).toEqual([{ param: "format", message: "required" }]);
    expect(await issuesOf(await getActivity("?format=xlsx&until=yesterday&from=2026-02-30&tz=Mars/Olympus&table=nope"))).toEqual([
      { param: "format", message: "use csv or json" },
      { param: "until", message: "use a moment in ISO 8601 with its offset, such as 2026-12-03T07:12:00Z" },
      { param: "from", message: "use a real date written as YYYY-MM-DD" },
      { param: "tz", message: "use an IANA time zone name such as Europe/Berlin" },
      { param: "table", message: "no such table" },
    ]);
    expect(await issuesOf(await getActivity("?format=csv&cursor=12&actor=a&actor=b&manifest=yes"))).toEqual([
      { param: "cursor", message: "not a parameter of this export (it takes format, until, manifest, actor, q, table, from, to, tz)" },
      { param: "actor", message: "give it once" },
      { param: "manifest", message: "use manifest=1 for the manifest, or leave it out for the export itself" },
    ]);
    expect(await issuesOf(await getActivity(`?format=csv&until=${new Date(Date.now() + 60_000).toISOString()}`))).toEqual([
      { param: "until", message: "this moment is in the future; leave until out to export up to now" },
    ]);
    expect(await issuesOf(await getActivity("?format=csv&from=2026-03-02&to=2026-03-01"))).toEqual([
      { param: "from", message: "2026-03-02 is after to (2026-03-01); swap them" },
    ]);
    expect(await issuesOf(await getHistory("friend", friendId, "?format=csv&property=name"))).toEqual([
      { param: "property", message: "not a parameter of this export (it takes format, until, manifest)" },
    ]);
  });

  it("answers 404 for a record or table that is not there", async () => {
    as("auditor");
    const missing = await getHistory("friend", 999_999, "?format=csv");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: "not_found",
      message: "There is no record 999999 in friend. Check the table and the id in the URL.",
    });
    expect((await getHistory("nope", 1, "?format=json")).status).toBe(404);
  });
});

describe("the activity log export", () => {
  it("is RFC 4180 CSV with a header, formulas neutralised, quotes and line breaks kept, named by scope and bound", async () => {
    as("auditor");
    const until = new Date();
    const response = await getActivity(`?format=csv&actor=ops%40clover&until=${until.toISOString()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    const stamp = until.toISOString().slice(0, 19).replace(/:/g, "");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="activity-${stamp}Z.csv"`);
    expect(response.headers.get("x-export-until")).toBe(until.toISOString());
    const [header, ...rows] = readCsv(await response.text());
    expect(header).toEqual([
      "id",
      "at",
      "recorded_at",
      "backdated",
      "actor",
      "actor_name",
      "reason",
      "source",
      "kind",
      "ticks",
      "ticks_member",
      "ticks_provider",
      "ticks_friend",
      "ticks_staff",
    ]);
    const reason = header!.indexOf("reason");
    // Newest first; every cell that a spreadsheet would run starts with a '.
    expect(rows.map((r) => r[reason])).toEqual([...NASTY].reverse().map((text) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)));
    expect(rows.every((r) => r[header!.indexOf("ticks")] === "1" && r[header!.indexOf("ticks_friend")] === "1")).toBe(true);
    expect(rows.at(-1)![header!.indexOf("actor_name")]).toBe("Ops");
  });

  it("has a manifest naming the filters, bound, row count, time range and the SHA-256 of exactly the export's bytes", async () => {
    as("auditor");
    const manifest = await manifestOf(await getActivity("?format=csv&actor=ops%40clover&q=%22no%22&manifest=1"));
    expect(manifest).toMatchObject({
      export: "activity",
      format: "csv",
      filters: { actor: "ops@clover", q: '"no"', table: null, from: null, to: null, tz: "UTC" },
      rowCount: 1,
    });
    expect(manifest.url).toBe(
      `/activity/export?format=csv&actor=ops%40clover&q=%22no%22&tz=UTC&until=${encodeURIComponent(manifest.until)}`,
    );
    expect(manifest.filename).toBe(`activity-${manifest.until.slice(0, 19).replace(/:/g, "")}Z.csv`);
    expect(manifest.timeRange).toEqual({
      from: null,
      to: null,
      until: manifest.until,
      earliest: expect.any(String),
      latest: manifest.timeRange.earliest,
    });
    expect(Date.parse(manifest.generatedAt)).toBeGreaterThanOrEqual(Date.parse(manifest.until));

    const bytes = await (await get(manifest.url)).arrayBuffer();
    expect(sha256(bytes)).toBe(manifest.sha256);
    expect(bytes.byteLength).toBe(manifest.bytes);
    expect(readCsv(Buffer.from(bytes).toString("utf8"))).toHaveLength(1 + manifest.rowCount);
  });

  it("returns the same bytes for the manifest's URL after later writes, back-dated ones too", async () => {
    as("auditor");
    const manifest = await manifestOf(await getActivity("?format=json&manifest=1"));
    await create(database.db, friend, { name: "Later", location: "Quito" }, { reason: "Written after the bound", actor: "ops@clover" });
    await create(
      database.db,
      friend,
      { name: "Older", location: "Quito" },
      { reason: "Back-dated after the bound", actor: "ops@clover", at: new Date("2020-01-01") },
    );
    const again = await (await get(manifest.url)).arrayBuffer();
    expect(sha256(again)).toBe(manifest.sha256);
    const now = await manifestOf(await getActivity("?format=json&manifest=1"));
    expect(now.rowCount).toBe(manifest.rowCount + 2);
    expect(now.sha256).not.toBe(manifest.sha256);
  });

  it("is a JSON array of activities with their tick counts per table, as many as the manifest says", async () => {
    as("auditor");
    const manifest = await manifestOf(await getActivity("?format=json&table=member&manifest=1"));
    const response = await get(manifest.url);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const items = (await response.json()) as Record<string, unknown>[];
    expect(items).toHaveLength(manifest.rowCount);
    expect(items.map((i) => i.reason)).toEqual(["Upgraded", "Enrolled"]);
    expect(items[1]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.any(String),
      recordedAt: expect.any(String),
      backdated: false,
      actor: "intake",
      actorName: "Intake desk",
      reason: "Enrolled",
      source: null,
      kind: null,
      ticks: { member: 1 },
    });
  });

  it("reads days in the zone it names, and writes the same bytes whatever the batch size", async () => {
    as("auditor");
    const today = new Date().toISOString().slice(0, 10);
    const utc = await manifestOf(await getActivity(`?format=csv&from=${today}&to=${today}&tz=UTC&manifest=1`));
    expect(utc.timeRange.from).toBe(`${today}T00:00:00.000Z`);
    const kiritimati = await manifestOf(await getActivity(`?format=csv&from=${today}&to=${today}&tz=Pacific/Kiritimati&manifest=1`));
    expect(kiritimati.timeRange.from).toBe(new Date(Date.parse(`${today}T00:00:00Z`) - 14 * 3_600_000).toISOString());

    const params = { format: "csv" as const, until: new Date(), manifest: false, filters: {} };
    const small = await exportResponse(activityExportPlan(database.db, params, "UTC", { batchSize: 2 })).arrayBuffer();
    const large = await exportResponse(activityExportPlan(database.db, params, "UTC")).arrayBuffer();
    expect(sha256(small)).toBe(sha256(large));
    const [{ n }] = (await database.db.select({ n: count() }).from(temporalActivity)) as [{ n: number }];
    expect(readCsv(Buffer.from(small).toString("utf8"))).toHaveLength(1 + n);
  });

  it("streams thousands of activities in batches of 1,000, every one exactly once", async () => {
    as("auditor");
    // 2,500 activities of one tick each (an activity under which nothing ticked is not kept), in one round trip.
    const friends = Array.from({ length: 2500 }, (_, i) => ({ name: `Bulk ${i + 1}`, location: "Here" }));
    const ids = (await createMany(database.db, friend, friends, { reason: "Bulk load", actor: "ops@clover" })).map((f) => f.id);
    await database.db.execute(
      sql.raw(`DO $$ DECLARE a bigint; ids int[] := ARRAY[${ids.join(",")}]; BEGIN FOR g IN 1..2500 LOOP
        INSERT INTO "temporal_activity" ("reason", "actor") VALUES ('bulk ' || g, 'bulk@load') RETURNING "id" INTO a;
        PERFORM set_config('temporal.activity_id', a::text, true);
        UPDATE "friend" SET "location" = 'There' WHERE "id" = ids[g];
      END LOOP; END $$`),
    );
    const manifest = await manifestOf(await getActivity("?format=csv&actor=bulk%40load&manifest=1"));
    expect(manifest.rowCount).toBe(2500);
    const rows = readCsv(await (await get(manifest.url)).text()).slice(1);
    expect(new Set(rows.map((r) => r[0])).size).toBe(2500);
    expect(rows[0]![6]).toBe("bulk 2500");
    expect(rows.at(-1)![6]).toBe("bulk 1");
  });
});

describe("the pages' export links", () => {
  it("carry the activity log's filters (not its page cursor, and the zone only with a day), and the export takes them", async () => {
    as("auditor");
    const params = { actor: "ops@clover", q: "no", table: "friend", from: "2026-01-01", to: "2030-12-31", cursor: "99" };
    const href = activityExportHref(params, "csv", "Europe/Berlin");
    expect(href).toBe("/activity/export?format=csv&actor=ops%40clover&q=no&table=friend&from=2026-01-01&to=2030-12-31&tz=Europe%2FBerlin");
    expect(activityExportHref({ q: "x" }, "json", "Europe/Berlin")).toBe("/activity/export?format=json&q=x");
    const manifest = await manifestOf(await get(`${href}&manifest=1`));
    expect(manifest.filters).toEqual({
      actor: "ops@clover",
      q: "no",
      table: "friend",
      from: "2026-01-01",
      to: "2030-12-31",
      tz: "Europe/Berlin",
    });
    expect(manifest.rowCount).toBe(1);
    const history = await get(historyExportHref("friend", String(friendId), "json"));
    expect(history.status).toBe(200);
    expect(history.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="friend-${friendId}-history-.*\\.json"$`));
  });
});

describe("a record's history export", () => {
  it("is a CSV record per property change, newest tick first, with its activity, reason, actor and time", async () => {
    as("auditor");
    const manifest = await manifestOf(await getHistory("friend", friendId, "?format=csv&manifest=1"));
    expect(manifest).toMatchObject({ export: "history", format: "csv", filters: { table: "friend", id: String(friendId) }, tickCount: 8 });
    // Creation wrote three properties (name, location, retired); the fourth tick two; the rest one each.
    expect(manifest.rowCount).toBe(3 + 2 + 6);
    expect(manifest.filename).toBe(`friend-${friendId}-history-${manifest.until.slice(0, 19).replace(/:/g, "")}Z.csv`);
    expect(manifest.url).toBe(`/t/friend/${friendId}/history/export?format=csv&until=${encodeURIComponent(manifest.until)}`);
    const response = await get(manifest.url);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${manifest.filename}"`);
    const bytes = await response.arrayBuffer();
    expect(sha256(bytes)).toBe(manifest.sha256);
    const [header, ...rows] = readCsv(Buffer.from(bytes).toString("utf8"));
    expect(header).toEqual([
      "vclock",
      "timestamp",
      "kind",
      "property",
      "before",
      "after",
      "activity_id",
      "actor",
      "actor_name",
      "reason",
      "recorded_at",
      "backdated",
      "source",
      "activity_kind",
    ]);
    expect(rows).toHaveLength(manifest.rowCount);
    const pick = (r: string[]) => [r[0], r[2], r[3], r[4], r[5], r[9]];
    expect(rows.slice(0, 1).map(pick)).toEqual([["8", "changed", "location", "Stop 6", "Stop 7", "'\tTabbed in"]]);
    expect(rows.filter((r) => r[0] === "4").map(pick)).toEqual([
      ["4", "changed", "name", "Nadia", "Nadia B.", "carriage\rreturn and\r\nboth"],
      ["4", "changed", "location", "Stop 2", "Stop 3", "carriage\rreturn and\r\nboth"],
    ]);
    expect(rows.slice(-3).map(pick)).toEqual([
      ["1", "created", "name", "", "Nadia", '\'=HYPERLINK("http://evil.example","click")'],
      ["1", "created", "location", "", "Lima", '\'=HYPERLINK("http://evil.example","click")'],
      ["1", "created", "retired", "", "false", '\'=HYPERLINK("http://evil.example","click")'],
    ]);
  });

  it("writes lists and objects as JSON text in CSV, and keeps them as JSON values in JSON, a before left out at creation", async () => {
    as("auditor");
    const csv = readCsv(await (await getHistory("member", memberId, "?format=csv")).text());
    const cells = (property: string) => csv.filter((r) => r[3] === property).map((r) => [r[0], r[4], r[5]]);
    expect(cells("tags")).toEqual([
      ["2", '["a,b","say \\"x\\""]', "[]"],
      ["1", "", '["a,b","say \\"x\\""]'],
    ]);
    expect(cells("fullName")).toEqual([["1", "", "'-Formula Name"]]);
    expect(cells("premium")).toEqual([["1", "", "12.50"]]);
    expect(cells("coverage")).toEqual([["1", "", '{"dental":true,"vision":false,"deductible":500}']]);

    const manifest = await manifestOf(await getHistory("member", memberId, "?format=json&manifest=1"));
    expect(manifest).toMatchObject({ rowCount: 2, tickCount: 2 });
    const ticks = (await (await get(manifest.url)).json()) as {
      vclock: number;
      kind: string;
      changes: { property: string; before?: unknown; after: unknown }[];
      activity: { reason: string; actorName: string | null };
    }[];
    expect(ticks.map((t) => [t.vclock, t.kind, t.activity.reason])).toEqual([
      [2, "changed", "Upgraded"],
      [1, "created", "Enrolled"],
    ]);
    expect(ticks[0]!.changes).toEqual([
      { property: "plan", before: "gold", after: "platinum" },
      { property: "tags", before: ["a,b", 'say "x"'], after: [] },
    ]);
    const coverage = ticks[1]!.changes.find((c) => c.property === "coverage")!;
    expect(coverage).toEqual({ property: "coverage", after: { dental: true, vision: false, deductible: 500 } });
    expect("before" in coverage).toBe(false);
    expect(ticks[1]!.activity.actorName).toBe("Intake desk");
  });

  it("keeps to its bound: a tick written after until is not in the file its manifest names", async () => {
    as("auditor");
    const manifest = await manifestOf(await getHistory("friend", friendId, "?format=json&manifest=1"));
    await tick(database.db, friend, friendId, { location: "After the bound" }, { reason: "Moved again", actor: "ops@clover" });
    const bytes = await (await get(manifest.url)).arrayBuffer();
    expect(sha256(bytes)).toBe(manifest.sha256);
    expect((JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown[]).length).toBe(manifest.tickCount);
    expect((await manifestOf(await getHistory("friend", friendId, "?format=json&manifest=1"))).tickCount).toBe(manifest.tickCount! + 1);
  });
});
