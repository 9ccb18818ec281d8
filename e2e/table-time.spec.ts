/**
 * The auditor's time screens on the seeded data: a table as of a moment (and two moments compared),
 * and one property's changes across records. Seeded friends (db/seed/friends.ts) change at 15:00 UTC
 * on their days: Dave (1) Tucson 2010-09-13, San Francisco 2013-05-02, Berkeley 2016-08-19; Rachel (2)
 * New York 2014-10-08, San Francisco 2016-01-08; Will (3) San Francisco 2015-09-22, Oakland 2016-09-29.
 */
import type { Locator, Page } from "@playwright/test";
import { AUDITOR, escapeRegExp, expect, test, TIME_ZONE } from "./support";

test.use({ storageState: AUDITOR.state });

const body = (table: Locator) => table.getByRole("rowgroup").nth(1).getByRole("row");
const historyBanner = (page: Page) => page.getByRole("region", { name: "Read-only history" });
/** A URL parameter's value as a pattern, whether the address bar encodes its ":" and "@" or not. */
const param = (name: string, value: string) =>
  new RegExp(`[?&]${name}=${escapeRegExp(value).replace(/:/g, "(?::|%3A)").replace(/@/g, "(?:@|%40)")}(?:&|$)`);

/** The grid's rows as { column label: cell text }, read from the header row. */
async function gridRows(table: Locator): Promise<Record<string, string>[]> {
  // The table's name says which moment it shows: once it is there, its rows are that moment's.
  await expect(table).toBeVisible();
  // Text content, not innerText: the headers are styled in capitals.
  const headers = (await table.getByRole("columnheader").allTextContents()).map((text) => text.replace(/[▲▼↕].*$/, "").trim());
  const rows: Record<string, string>[] = [];
  for (const row of await body(table).all()) {
    // A changed cell's text ends with its marker and old value (the tooltip): the specs read those by role.
    const cells = (await row.getByRole("cell").allTextContents()).map((text) => text.replace(/Δwas .*$/, "").trim());
    rows.push(Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? ""])));
  }
  return rows;
}

/** The value a property had at a moment, read from the record's one-property history page (From included, Until not). */
async function valueFromHistory(page: Page, path: string, property: string, label: string, at: Date): Promise<string> {
  await page.goto(`${path}/history?property=${property}`);
  await expect(page.getByRole("heading", { level: 1, name: `${label}: every value` })).toBeVisible();
  const table = page.getByRole("main").getByRole("table");
  await expect(body(table).first()).toBeVisible();
  for (const row of await body(table).all()) {
    const cells = row.getByRole("cell");
    const from = new Date(
      (await cells
        .nth(2)
        .getByTitle(/^\d{4}-/)
        .getAttribute("title"))!,
    );
    const until = cells.nth(3).getByTitle(/^\d{4}-/);
    const to = (await until.count()) > 0 ? new Date((await until.getAttribute("title"))!) : null;
    if (from <= at && (to === null || at < to)) {
      return (await cells.nth(0).textContent())!.replace(/(current|tracking started)+$/, "").trim();
    }
  }
  throw new Error(`${path} had no ${property} at ${at.toISOString()}`);
}

test.describe("Table as of a moment", () => {
  test("shows the talk's friends as they were, read-only, each linking to its record then", async ({ page }) => {
    const asOf = "2016-01-01T00:00:00Z";
    await page.goto(`/t/friend?asOf=${asOf}`);
    await expect(historyBanner(page)).toContainText(`The table as of Dec 31, 2015, 19:00 EST, ${TIME_ZONE}.`);
    await expect(page.getByRole("link", { name: "New friend" })).toHaveCount(0);
    const table = page.getByRole("table", { name: `Friends as of Dec 31, 2015, 19:00 EST, ${TIME_ZONE}` });
    expect((await gridRows(table)).map((r) => [r.ID, r.Name, r.Location])).toEqual([
      ["1", "Dave", "San Francisco"],
      ["2", "Rachel", "New York"],
      ["3", "Will", "San Francisco"],
    ]);
    const rachel = new URL((await table.getByRole("link", { name: "Rachel", exact: true }).getAttribute("href"))!, page.url());
    expect([rachel.pathname, rachel.searchParams.get("asOf")]).toEqual(["/t/friend/2", asOf]);

    await historyBanner(page).getByRole("link", { name: "Back to now →" }).click();
    await expect(page).toHaveURL(/\/t\/friend$/);
    await expect(page.getByRole("table", { name: "Friends", exact: true }).getByRole("row", { name: /Dave/ })).toContainText("Berkeley");
  });

  test("a page of members sorted by a past value shows each row's values as its history has them then", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    const asOf = "2025-03-01T12:00:00.000Z";
    const at = new Date(asOf);
    await page.goto(`/t/member?asOf=${asOf}&sort=premium&dir=desc`);
    await expect(historyBanner(page)).toContainText(`The table as of Mar 1, 2025, 07:00 EST, ${TIME_ZONE}.`);
    await expect(historyBanner(page)).toContainText("Not shown: Member # (their past is not kept).");
    const table = page.getByRole("table", { name: /^Members as of Mar 1, 2025/ });
    const rows = await gridRows(table);
    expect(rows).toHaveLength(25);
    // Sorted then only by the key and the sortable columns (a sort index each): the others' headers are no links.
    await expect(table.getByRole("columnheader", { name: /^Monthly premium/ }).getByRole("link")).toHaveCount(1);
    await expect(table.getByRole("columnheader", { name: /^Primary care/ }).getByRole("link")).toHaveCount(0);
    await expect(table.getByRole("columnheader", { name: /^Programs/ }).getByRole("link")).toHaveCount(0);
    const premiums = rows.map((r) => Number(r["Monthly premium"]!.replace(/[$,]/g, "")));
    expect(
      premiums.every((p, i) => i === 0 || premiums[i - 1]! >= p),
      premiums.join(", "),
    ).toBe(true);

    const other = await browser.newContext({ baseURL, timezoneId: TIME_ZONE, storageState: AUDITOR.state });
    const history = await other.newPage();
    for (const [index, row] of rows.entries()) {
      const link = body(table).nth(index).getByRole("link", { name: row.Name, exact: true });
      const href = new URL((await link.getAttribute("href"))!, page.url());
      expect([href.pathname, href.searchParams.get("asOf")]).toEqual([`/t/member/${row.ID}`, asOf]);
      expect(await valueFromHistory(history, href.pathname, "premium", "Monthly premium", at), `premium of #${row.ID}`).toBe(
        row["Monthly premium"],
      );
      expect(await valueFromHistory(history, href.pathname, "plan", "Plan", at), `plan of #${row.ID}`).toBe(row.Plan);
    }
    await other.close();
  });

  test("a datetime input sets the moment, and another one compares it with a later one", async ({ page }) => {
    await page.goto("/t/friend");
    await page.getByText("History: see this table as it was").click();
    const moment = page.getByRole("form", { name: "Moment in history" });
    await moment.getByLabel("As of", { exact: true }).fill("2015-01-01T00:00");
    await moment.getByRole("button", { name: "Show the table then" }).click();
    await expect(page).toHaveURL(param("asOf", "2015-01-01T05:00:00.000Z"));
    const then = page.getByRole("table", { name: `Friends as of Jan 1, 2015, 00:00 EST, ${TIME_ZONE}` });
    expect((await gridRows(then)).map((r) => [r.Name, r.Location])).toEqual([
      ["Dave", "San Francisco"],
      ["Rachel", "New York"],
    ]);

    await moment.getByLabel("Compare to", { exact: true }).fill("2016-02-01T00:00");
    await moment.getByRole("checkbox", { name: "Only changed rows" }).check();
    await moment.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(param("compareTo", "2016-02-01T05:00:00.000Z"));
    await expect(page).toHaveURL(param("asOf", "2015-01-01T05:00:00.000Z"));
    await expect(page).toHaveURL(param("changed", "1"));
    const compared = page.getByRole("table", { name: /^Friends as of Feb 1, 2016/ });
    expect((await gridRows(compared)).map((r) => [r.Change, r.Name, r.Location])).toEqual([
      ["Changed", "Rachel", "San Francisco"],
      ["Added", "Will", "San Francisco"],
    ]);
    // The URL is the state: a reload shows the same comparison.
    await page.reload();
    await expect(body(compared)).toHaveCount(2);
    await expect(page.getByRole("checkbox", { name: "Only changed rows" })).toBeChecked();
  });

  test("compare mode marks the row changed between two dates, the old value on hover and on keyboard focus", async ({ page }) => {
    await page.goto("/t/friend?asOf=2016-01-01T00:00:00Z&compareTo=2016-02-01T00:00:00Z");
    await expect(historyBanner(page)).toContainText("Comparing the table as of Dec 31, 2015, 19:00 EST");
    const table = page.getByRole("table", { name: /^Friends as of Jan 31, 2016, 19:00 EST/ });
    expect((await gridRows(table)).map((r) => [r.Change, r.Name, r.Location])).toEqual([
      ["—Unchanged", "Dave", "San Francisco"],
      ["Changed", "Rachel", "San Francisco"],
      ["—Unchanged", "Will", "San Francisco"],
    ]);
    const rachel = table.getByRole("row").filter({ has: page.getByRole("link", { name: "Rachel", exact: true }) });
    await expect(table.getByRole("button", { name: /changed$/ })).toHaveCount(1);
    const marker = rachel.getByRole("button", { name: "Location changed" });
    await expect(marker).toHaveAccessibleDescription(`was New York as of Dec 31, 2015, 19:00 EST, ${TIME_ZONE}`);
    const tip = page.getByRole("tooltip");
    await expect(tip).toBeHidden();

    await marker.focus();
    await expect(tip).toBeVisible();
    await expect(tip).toHaveText(`was New York as of Dec 31, 2015, 19:00 EST, ${TIME_ZONE}`);
    await page.keyboard.press("Escape");
    await expect(tip).toBeHidden();
    await marker.blur();

    await rachel.getByText("San Francisco").hover();
    await expect(tip).toBeVisible();
    await page.mouse.move(0, 0);
    await expect(tip).toBeHidden();
  });

  test("a member retired between two moments is marked Retired among only the changed rows", async ({ page }) => {
    await page.goto("/t/member/changes?property=retired&to=2026-01-01T00:00:00Z");
    const changes = page.getByRole("table", { name: /^Changes of Retired/ });
    const retirement = body(changes)
      .filter({ has: page.getByRole("insertion").filter({ hasText: "now Yes" }) })
      .first();
    const when = new Date(
      (await retirement
        .getByRole("cell")
        .first()
        .getByTitle(/^\d{4}-/)
        .getAttribute("title"))!,
    );
    const name = (await retirement.getByRole("cell").nth(1).getByRole("link").textContent())!;
    const before = new Date(when.getTime() - 60_000).toISOString();
    const after = new Date(when.getTime() + 60_000).toISOString();

    await page.goto(`/t/member?asOf=${before}&compareTo=${after}&changed=1`);
    const row = page
      .getByRole("table", { name: /^Members as of/ })
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: name, exact: true }) });
    await expect(row.getByRole("cell").first()).toHaveText("Retired");
    await expect(row.getByRole("cell").nth(2)).toContainText("Retired");
  });

  test("a bad moment is a message on the page, not an error", async ({ page }) => {
    const response = await page.goto("/t/member?asOf=yesterday");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(
      "As of “yesterday” is not a moment: write an ISO 8601 instant such as 2016-01-01T00:00:00Z.",
    );
    await expect(page.getByRole("main").getByRole("table")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "See the table as it is now" })).toHaveAttribute("href", "/t/member");

    await page.goto("/t/friend?asOf=2016-01-01T00:00:00Z&compareTo=2099-01-01T00:00:00Z");
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: "is in the future" })).toContainText(
      "The comparison was left out.",
    );
    await expect(body(page.getByRole("table", { name: /^Friends as of Dec 31, 2015/ }))).toHaveCount(3);
  });
});

test.describe("Changes across records", () => {
  test("opens from the table page and lists a known change: record, before → after, who, when, why, change set", async ({ page }) => {
    await page.goto("/t/friend");
    await page.getByRole("link", { name: "Changes across records" }).click();
    await expect(page).toHaveURL(/\/t\/friend\/changes$/);
    await expect(page.getByRole("heading", { level: 1, name: "Friends: changes of Name" })).toBeVisible();

    const filters = page.getByRole("search", { name: "Filter the changes" });
    await filters.getByRole("combobox", { name: "Property" }).selectOption({ label: "Location" });
    await filters.getByLabel("To", { exact: true }).fill("2017-01-01T00:00");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(param("property", "location"));
    await expect(page).toHaveURL(param("to", "2017-01-01T05:00:00.000Z"));
    const table = page.getByRole("table", { name: /^Changes of Location, until Jan 1, 2017/ });
    await expect(body(table)).toHaveCount(7);
    await expect(body(table).first()).toContainText("Will");
    const rachel = body(table)
      .filter({ has: page.getByRole("insertion").filter({ hasText: "now San Francisco" }) })
      .filter({
        has: page.getByRole("link", { name: "Rachel", exact: true }),
      });
    await expect(rachel.getByRole("deletion")).toHaveText("was New York");
    await expect(rachel).toContainText("joey@pycon2017.example");
    await expect(rachel).toContainText("Jan 8, 2016");
    await expect(rachel).toContainText("Rachel moved from New York to San Francisco for a new job");
    await expect(rachel.getByRole("link", { name: "Rachel", exact: true })).toHaveAttribute("href", "/t/friend/2");

    await rachel.getByRole("link", { name: /^Change set #\d+/ }).click();
    await expect(page).toHaveURL(/\/activity\/\d+$/);
    await expect(page.getByRole("region", { name: "Activity" })).toContainText("Rachel moved from New York to San Francisco for a new job");
  });

  test("filters by actor and pages with a cursor", async ({ page }) => {
    await page.goto("/t/friend/changes?property=name");
    const filters = page.getByRole("search", { name: "Filter the changes" });
    await filters.getByRole("combobox", { name: "Actor" }).selectOption("joey@pycon2017.example");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(param("actor", "joey@pycon2017.example"));
    const names = page.getByRole("table", { name: /^Changes of Name by joey@pycon2017\.example/ });
    await expect(body(names)).toHaveCount(3);
    expect((await body(names).getByRole("insertion").allTextContents()).map((t) => t.trim())).toEqual([
      "set to Will",
      "set to Rachel",
      "set to Dave",
    ]);

    await page.goto("/t/member/changes?property=premium");
    const table = page.getByRole("table", { name: /^Changes of Monthly premium/ });
    await expect(body(table)).toHaveCount(50);
    const first = await body(table).allTextContents();
    const pages = page.getByRole("navigation", { name: "Pages of changes" });
    await pages.getByRole("link", { name: "Older →" }).click();
    await expect(page).toHaveURL(/[?&]cursor=[A-Za-z0-9_-]+/);
    await expect(pages).toContainText("50 changes (older page)");
    const second = await body(table).allTextContents();
    expect(second.filter((row) => first.includes(row))).toEqual([]);
    await pages.getByRole("link", { name: "← Newest" }).click();
    await expect(page).toHaveURL(/\/t\/member\/changes\?property=premium$/);
    await expect(pages).toContainText("50 changes (newest first)");
    expect(await body(table).allTextContents()).toEqual(first);
  });

  test("says what it left out of a bad link", async ({ page }) => {
    const response = await page.goto("/t/member/changes?property=memberNumber&from=soon&cursor=bogus");
    expect(response?.status()).toBe(200);
    const problems = page.getByRole("main").getByRole("status").filter({ hasText: "Some of the link was not used" });
    await expect(problems).toContainText("Members have no tracked property “memberNumber”; showing Name.");
    await expect(problems).toContainText("From “soon” is not a moment");
    await expect(problems).toContainText("That page link is not one of this list's; showing the newest changes.");
    await expect(page.getByRole("heading", { level: 1, name: "Members: changes of Name" })).toBeVisible();
  });
});
