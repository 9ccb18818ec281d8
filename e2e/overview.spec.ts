import { EDITOR, expect, test } from "./support";

test.describe("Overview", () => {
  test("lists every table with its counts, the changes chart and the latest activity", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByRole("banner")).toContainText(EDITOR.name);

    const tables = page.getByRole("table", { name: "Tables" });
    const rows = tables.getByRole("rowgroup").nth(1).getByRole("row");
    await expect(rows).toHaveCount(4);
    await expect(rows.getByRole("link")).toHaveText(["Members", "Providers", "Friends", "People"]);
    // The seed: 240 members (some retired by their history), 10 providers and the walk-in clinic with a long history.
    const members = rows.filter({ has: page.getByRole("link", { name: "Members" }) }).getByRole("cell");
    const [live, retired] = [Number((await members.nth(0).innerText()).replace(/,/g, "")), Number(await members.nth(1).innerText())];
    expect(live + retired).toBeGreaterThanOrEqual(240);
    await expect(
      rows
        .filter({ has: page.getByRole("link", { name: "Providers" }) })
        .getByRole("cell")
        .first(),
    ).toHaveText("11");

    const chart = page.getByRole("region", { name: /^Changes per (day|week)$/ });
    await expect(chart.getByRole("figure")).toContainText(/[\d,]+ changes from/);
    await chart.getByRole("navigation", { name: "Chart range" }).getByRole("link", { name: "Since Jan 2024" }).click();
    await expect(page).toHaveURL(/\?range=all$/);
    await expect(chart.getByRole("link", { name: "Since Jan 2024" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("region", { name: "Changes per week" })).toBeVisible();

    const latest = page.getByRole("region", { name: "Latest activity" });
    const activity = latest.getByRole("table", { name: "The 10 latest activities, newest first" });
    await expect(activity.getByRole("rowgroup").nth(1).getByRole("row")).toHaveCount(10);
    await latest.getByRole("link", { name: "Full activity log →" }).click();
    await expect(page).toHaveURL(/\/activity$/);
    await expect(page.getByRole("heading", { level: 1, name: "Activity log" })).toBeVisible();
  });

  test("the main navigation leads to each table", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Friends" }).click();
    await expect(page).toHaveURL(/\/t\/friend$/);
    await expect(page.getByRole("heading", { level: 1, name: "Friends" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Friends" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("table", { name: "Friends" }).getByRole("link", { name: "Rachel", exact: true })).toBeVisible();
  });
});
