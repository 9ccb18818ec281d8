import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support";

const members = (page: Page) => page.getByRole("table", { name: "Members" });
const header = (table: Locator, label: string) => table.getByRole("columnheader", { name: new RegExp(`^${label}\\b`) });
const summary = (page: Page) => page.getByRole("paragraph").filter({ hasText: /Page \d+ of \d+/ });

/** One column's texts on the current page, read row by row. */
async function columnTexts(table: Locator, label: string): Promise<string[]> {
  // Text content, not innerText: the headers are styled in capitals.
  const headers = await table.getByRole("columnheader").allTextContents();
  const index = headers.findIndex((text) => text.startsWith(label));
  expect(index, `column ${label}`).toBeGreaterThanOrEqual(0);
  const cells = await table.getByRole("rowgroup").nth(1).getByRole("cell").allTextContents();
  return cells.filter((_, i) => i % headers.length === index).map((text) => text.trim());
}

const dollars = (texts: string[]) => texts.map((t) => Number(t.replace(/[$,]/g, "")));
const ascending = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1]! <= v);

async function totals(page: Page): Promise<{ total: number; pages: number }> {
  const text = await summary(page).innerText();
  const match = /of ([\d,]+) members.*Page \d+ of ([\d,]+)/s.exec(text);
  expect(match, text).not.toBeNull();
  return { total: Number(match![1]!.replace(/,/g, "")), pages: Number(match![2]!.replace(/,/g, "")) };
}

test.describe("Table view", () => {
  test("sorts by a column from its header, in the URL", async ({ page }) => {
    await page.goto("/t/member");
    const table = members(page);
    await expect(header(table, "Name")).toHaveAttribute("aria-sort", "ascending");
    await expect(header(table, "Monthly premium")).not.toHaveAttribute("aria-sort", /.*/);

    await header(table, "Monthly premium").getByRole("link").click();
    await expect(page).toHaveURL(/[?&]sort=premium&dir=asc\b/);
    await expect(header(table, "Monthly premium")).toHaveAttribute("aria-sort", "ascending");
    await expect(header(table, "Name")).not.toHaveAttribute("aria-sort", /.*/);
    const up = dollars(await columnTexts(table, "Monthly premium"));
    expect(up).toHaveLength(25);
    expect(ascending(up), `ascending: ${up.join(", ")}`).toBe(true);

    await header(table, "Monthly premium").getByRole("link").click();
    await expect(page).toHaveURL(/[?&]sort=premium&dir=desc\b/);
    await expect(header(table, "Monthly premium")).toHaveAttribute("aria-sort", "descending");
    const down = dollars(await columnTexts(table, "Monthly premium"));
    expect(ascending([...down].reverse()), `descending: ${down.join(", ")}`).toBe(true);
    expect(down[0]!).toBeGreaterThan(up[0]!);

    // The URL is the state: a reload shows the same order.
    await page.reload();
    await expect(header(members(page), "Monthly premium")).toHaveAttribute("aria-sort", "descending");
    expect(dollars(await columnTexts(members(page), "Monthly premium"))).toEqual(down);
  });

  test("filters by name and plan; the URL keeps the filters across a reload", async ({ page }) => {
    await page.goto("/t/member");
    const { total: all } = await totals(page);
    const filters = page.getByRole("search", { name: "Filter members" });
    await filters.getByRole("searchbox", { name: "Name" }).fill("patel");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]f\.fullName=patel\b/);
    await expect(filters.getByRole("button", { name: "Apply filters (1 active)" })).toBeVisible();
    const names = await columnTexts(members(page), "Name");
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/patel/i);
    const { total: filtered } = await totals(page);
    expect(filtered).toBeLessThan(all);

    // A select filter applies as soon as it changes.
    await filters.getByRole("combobox", { name: "Plan" }).selectOption({ label: "Gold" });
    await expect(page).toHaveURL(/[?&]f\.plan=gold\b/);
    await expect(page).toHaveURL(/[?&]f\.fullName=patel\b/);
    await expect(filters.getByRole("button", { name: "Apply filters (2 active)" })).toBeVisible();
    const gold = await columnTexts(members(page), "Plan");
    for (const plan of gold) expect(plan).toBe("Gold");

    await page.reload();
    await expect(filters.getByRole("searchbox", { name: "Name" })).toHaveValue("patel");
    await expect(filters.getByRole("combobox", { name: "Plan" })).toHaveValue("gold");
    expect(await columnTexts(members(page), "Plan")).toEqual(gold);
    for (const name of await columnTexts(members(page), "Name")) expect(name).toMatch(/patel/i);

    await filters.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/t\/member$/);
    await expect(filters.getByRole("searchbox", { name: "Name" })).toHaveValue("");
    await expect(summary(page)).toContainText(`of ${all} members`);
  });

  test("pages through the records with page links and the page size", async ({ page }) => {
    await page.goto("/t/member");
    const { total, pages } = await totals(page);
    expect(pages).toBe(Math.ceil(total / 25));
    const nav = page.getByRole("navigation", { name: "Pages" });
    await expect(nav.getByRole("link", { name: "Previous page" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Page 1", exact: true })).toHaveAttribute("aria-current", "page");
    const firstPage = await columnTexts(members(page), "ID");

    await nav.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]page=2\b/);
    await expect(summary(page)).toContainText(`26–50 of ${total} members`);
    await expect(nav.getByRole("link", { name: "Page 2", exact: true })).toHaveAttribute("aria-current", "page");
    const secondPage = await columnTexts(members(page), "ID");
    expect(secondPage).toHaveLength(25);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);

    await nav.getByRole("link", { name: `Page ${pages}`, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]page=${pages}\\b`));
    await expect(summary(page)).toContainText(`Page ${pages} of ${pages}`);
    await expect(nav.getByRole("link", { name: "Next page" })).toHaveCount(0);
    await expect(members(page).getByRole("rowgroup").nth(1).getByRole("row")).toHaveCount(total - (pages - 1) * 25);

    await nav.getByRole("link", { name: "Page 1", exact: true }).click();
    await expect(page).toHaveURL(/\/t\/member$/);
    await page.getByRole("combobox", { name: "Rows per page" }).selectOption("50");
    await expect(page).toHaveURL(/[?&]size=50\b/);
    await expect(summary(page)).toContainText(`1–50 of ${total} members`);
    await expect(members(page).getByRole("rowgroup").nth(1).getByRole("row")).toHaveCount(50);
    await page.reload();
    await expect(page.getByRole("combobox", { name: "Rows per page" })).toHaveValue("50");
  });

  test("a change made while the last one is still loading builds on it: Page 1, then 50 rows at once, shows rows 1–50", async ({
    page,
  }) => {
    await page.goto("/t/member?page=3");
    const { total } = await totals(page);
    await expect(summary(page)).toContainText(`51–75 of ${total} members`);
    // Hold the server's answers for a while, so the second change is made while the page still shows page 3.
    await page.route(
      (url) => url.pathname === "/t/member" && url.searchParams.has("_rsc"),
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue();
      },
    );
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Page 1", exact: true }).click();
    await expect(page).toHaveURL(/\/t\/member$/);
    await expect(summary(page)).toContainText(`51–75 of ${total} members`);
    await page.getByRole("combobox", { name: "Rows per page" }).selectOption("50");
    await expect(page).toHaveURL(/\/t\/member\?size=50$/);
    await expect(summary(page)).toContainText(`1–50 of ${total} members`);
    await expect(members(page).getByRole("rowgroup").nth(1).getByRole("row")).toHaveCount(50);
  });
});
