/**
 * Exports as an auditor: the Export buttons on the activity log (with its filters) and on a
 * record's history download files whose row count and SHA-256 match the manifest, and the
 * manifest's URL returns the same bytes. The routes check who asks themselves: 401 without a
 * session, 403 for a person who no longer holds a role, 400 naming the parameter to fix.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { APIRequestContext, Browser, BrowserContext, Download, Page } from "@playwright/test";
import { readCsv } from "../lib/admin/export/tests/csv-reader";
import { expectNoA11yViolations } from "./a11y";
import { ADMIN, AUDITOR, contextAs, createFriend, editRecord, expect, SIGNED_OUT, signIn, test, TIME_ZONE, unique } from "./support";

type Manifest = {
  export: string;
  format: string;
  filters: Record<string, string | null>;
  until: string;
  rowCount: number;
  tickCount?: number;
  bytes: number;
  sha256: string;
  filename: string;
  url: string;
};

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
/** A form sends a textarea's line breaks as CRLF: compare reasons with LF. */
const lf = (text: string | undefined) => text?.replace(/\r\n/g, "\n");

/** Clicks a download link and returns the file's suggested name and bytes. */
async function download(page: Page, name: string): Promise<{ filename: string; bytes: Buffer }> {
  const started = page.waitForEvent("download");
  await page.getByRole("link", { name, exact: true }).click();
  const file: Download = await started;
  expect(await file.failure()).toBeNull();
  return { filename: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

async function manifestFor(request: APIRequestContext, href: string): Promise<Manifest> {
  const response = await request.get(`${href}&manifest=1`);
  expect(response.status()).toBe(200);
  return (await response.json()) as Manifest;
}

/** A friend with a known history, made by the editor: created, then moved twice, every reason carrying `token`. */
async function friendWithHistory(page: Page, token: string) {
  const friend = await createFriend(page, { location: "Memphis", reason: `=SUM(1,2) met for ${token}` });
  await editRecord(page, { Location: "Nashville" }, `Moved, said "yes", for ${token}`, 2);
  await editRecord(page, { Location: "Knoxville", Name: `${friend.name} K.` }, `-1 office, two lines\nfor ${token}`, 3);
  return friend;
}

test.describe("Exports as an auditor", () => {
  let auditor: BrowserContext;
  test.beforeEach(async ({ browser, baseURL }) => {
    auditor = await contextAs(browser, baseURL!, AUDITOR);
  });
  test.afterEach(async () => auditor.close());

  test("the activity log's Export CSV and JSON carry its filters; rows and SHA-256 match the manifest, whose URL gives the same bytes", async ({
    page,
  }) => {
    const token = unique("export").split(" ")[1]!;
    await friendWithHistory(page, token);

    const log = await auditor.newPage();
    await log.goto(`/activity?q=${token}`);
    await expect(
      log.getByRole("table", { name: "Activities matching the filters, newest first" }).getByRole("rowgroup").nth(1).getByRole("row"),
    ).toHaveCount(3);
    const csvLink = log.getByRole("link", { name: "Export CSV", exact: true });
    const href = (await csvLink.getAttribute("href"))!;
    expect(href).toBe(`/activity/export?format=csv&q=${token}`);
    await expectNoA11yViolations(log, { label: "the activity log with its export links" });

    const csv = await download(log, "Export CSV");
    expect(csv.filename).toMatch(/^activity-\d{4}-\d{2}-\d{2}T\d{6}Z\.csv$/);
    const [header, ...rows] = readCsv(csv.bytes.toString("utf8"));
    const reason = header!.indexOf("reason");
    expect(rows.map((r) => lf(r[reason]))).toEqual([
      `'-1 office, two lines\nfor ${token}`,
      `Moved, said "yes", for ${token}`,
      `'=SUM(1,2) met for ${token}`,
    ]);

    const manifest = await manifestFor(log.request, href);
    expect(manifest).toMatchObject({
      export: "activity",
      format: "csv",
      rowCount: rows.length,
      bytes: csv.bytes.length,
      sha256: sha256(csv.bytes),
    });
    expect(manifest.filters).toMatchObject({ q: token, actor: null, table: null });
    expect(manifest.url).toBe(
      `/activity/export?format=csv&q=${token}&tz=${encodeURIComponent(TIME_ZONE)}&until=${encodeURIComponent(manifest.until)}`,
    );
    const again = await log.request.get(manifest.url);
    expect(again.headers()["content-disposition"]).toBe(`attachment; filename="${manifest.filename}"`);
    expect(sha256(await again.body())).toBe(manifest.sha256);

    const json = await download(log, "Export JSON");
    expect(json.filename).toMatch(/^activity-\d{4}-\d{2}-\d{2}T\d{6}Z\.json$/);
    const items = JSON.parse(json.bytes.toString("utf8")) as { reason: string; actorName: string; ticks: Record<string, number> }[];
    expect(items.map((i) => lf(i.reason))).toEqual([
      `-1 office, two lines\nfor ${token}`,
      `Moved, said "yes", for ${token}`,
      `=SUM(1,2) met for ${token}`,
    ]);
    expect(items.every((i) => i.ticks.friend === 1)).toBe(true);
    const jsonManifest = await manifestFor(log.request, `/activity/export?format=json&q=${token}`);
    expect(jsonManifest).toMatchObject({ rowCount: 3, bytes: json.bytes.length, sha256: sha256(json.bytes) });
  });

  test("a record's history exports every change of every tick; rows, ticks and SHA-256 match the manifest", async ({ page }) => {
    const token = unique("history").split(" ")[1]!;
    const friend = await friendWithHistory(page, token);

    const history = await auditor.newPage();
    await history.goto(`${friend.path}/history`);
    const href = (await history.getByRole("link", { name: "Export CSV", exact: true }).getAttribute("href"))!;
    expect(href).toBe(`${friend.path}/history/export?format=csv`);
    await expectNoA11yViolations(history, { label: "a record's history with its export links" });

    const csv = await download(history, "Export CSV");
    expect(csv.filename).toMatch(new RegExp(`^friend-${friend.id}-history-\\d{4}-\\d{2}-\\d{2}T\\d{6}Z\\.csv$`));
    const [header, ...rows] = readCsv(csv.bytes.toString("utf8"));
    const at = (column: string) => header!.indexOf(column);
    // Newest first: the third tick changed name and location, the second location, the creation name, location and retired.
    expect(rows.map((r) => [r[at("vclock")], r[at("kind")], r[at("property")], r[at("after")]])).toEqual([
      ["3", "changed", "name", `${friend.name} K.`],
      ["3", "changed", "location", "Knoxville"],
      ["2", "changed", "location", "Nashville"],
      ["1", "created", "name", friend.name],
      ["1", "created", "location", "Memphis"],
      ["1", "created", "retired", "false"],
    ]);
    expect(rows.every((r) => r[at("actor_name")] !== "")).toBe(true);

    const manifest = await manifestFor(history.request, href);
    expect(manifest).toMatchObject({ export: "history", rowCount: 6, tickCount: 3, bytes: csv.bytes.length, sha256: sha256(csv.bytes) });
    expect(manifest.filters).toEqual({ table: "friend", id: friend.id });
    expect(sha256(await (await history.request.get(manifest.url)).body())).toBe(manifest.sha256);

    const json = await download(history, "Export JSON");
    const ticks = JSON.parse(json.bytes.toString("utf8")) as { vclock: number; changes: unknown[] }[];
    expect(ticks.map((t) => [t.vclock, t.changes.length])).toEqual([
      [3, 2],
      [2, 1],
      [1, 3],
    ]);
  });

  test("a bad query answers 400 with JSON naming each parameter and what to do", async () => {
    const response = await auditor.request.get("/activity/export?format=xlsx&from=2026-13-01&page=2");
    expect(response.status()).toBe(400);
    expect(await response.json()).toEqual({
      error: "bad_request",
      message:
        "Fix the query and try again: format: use csv or json; from: use a real date written as YYYY-MM-DD; page: not a parameter of this export (it takes format, until, manifest, actor, q, table, from, to, tz).",
      issues: [
        { param: "format", message: "use csv or json" },
        { param: "from", message: "use a real date written as YYYY-MM-DD" },
        { param: "page", message: "not a parameter of this export (it takes format, until, manifest, actor, q, table, from, to, tz)" },
      ],
    });
    const history = await auditor.request.get("/t/friend/2/history/export?format=csv&until=2999-01-01T00:00:00Z");
    expect(history.status()).toBe(400);
    expect(((await history.json()) as { issues: unknown[] }).issues).toEqual([
      { param: "until", message: "this moment is in the future; leave until out to export up to now" },
    ]);
    expect((await auditor.request.get("/t/friend/999999/history/export?format=csv")).status()).toBe(404);
  });
});

test.describe("Who may export", () => {
  const EXPORTS = ["/activity/export?format=csv", "/t/friend/2/history/export?format=json"];

  test("without a session the exports answer 401 (not a sign-in page), also with a made-up session cookie", async ({
    playwright,
    baseURL,
  }) => {
    for (const cookie of [undefined, "better-auth.session_token=made.up"]) {
      const nobody = await playwright.request.newContext({ baseURL, storageState: SIGNED_OUT, extraHTTPHeaders: cookie ? { cookie } : {} });
      try {
        for (const path of EXPORTS) {
          const response = await nobody.get(path, { maxRedirects: 0 });
          expect(response.status(), path).toBe(401);
          expect(await response.json()).toEqual({
            error: "unauthorized",
            message: "Sign in first: this needs a session (none was sent, or it has ended).",
          });
        }
      } finally {
        await nobody.dispose();
      }
    }
  });

  test("a person retired from staff keeps a session but no role: the exports answer 403", async ({ browser, baseURL }) => {
    const token = unique("leaver").split(" ")[1]!;
    const person = { name: `Lee ${token}`, email: `lee.${token}@e2e.example`, password: `pw-${token}-long-enough` };
    const admin = await contextAs(browser, baseURL!, ADMIN);
    const them = await signedOutContext(browser, baseURL!);
    try {
      const adminPage = await admin.newPage();
      await adminPage.goto("/people/new");
      const main = adminPage.getByRole("main");
      await main.getByRole("textbox", { name: "Name" }).fill(person.name);
      await main.getByRole("textbox", { name: "Email" }).fill(person.email);
      await main.getByRole("combobox", { name: "Role" }).selectOption("auditor");
      await main.getByLabel("First password").fill(person.password);
      await main.getByRole("textbox", { name: "Reason" }).fill("Joins for the export test");
      await main.getByRole("button", { name: "Add person" }).click();
      await expect(adminPage).toHaveURL(/\/t\/staff\/[^/]+$/);

      const theirPage = await them.newPage();
      await signIn(theirPage, person);
      expect((await them.request.get(EXPORTS[0]!)).status()).toBe(200);

      await adminPage.getByRole("button", { name: "Retire…" }).click();
      const retire = adminPage.getByRole("dialog", { name: "Retire this person" });
      await retire.getByLabel("Reason").fill("Left the team (export test)");
      await retire.getByRole("button", { name: "Retire", exact: true }).click();
      await expect(retire).toBeHidden();

      for (const path of EXPORTS) {
        const response = await them.request.get(path, { maxRedirects: 0 });
        expect(response.status(), path).toBe(403);
        expect(await response.json()).toEqual({
          error: "forbidden",
          message: "You are signed in but hold no role here. Ask an admin for access.",
        });
      }
    } finally {
      await admin.close();
      await them.close();
    }
  });
});

function signedOutContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, timezoneId: TIME_ZONE, storageState: SIGNED_OUT });
}
