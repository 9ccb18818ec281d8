import { createFriend, EDITOR, editRecord, expect, test, unique } from "./support";

test.describe("Activity log", () => {
  test("filters by actor and reason text in the URL, and opens a change set with before → after", async ({ page }) => {
    const friend = await createFriend(page, { location: "Memphis" });
    const token = unique("relocation").split(" ")[1]!;
    const reason = `Moved to Nashville for the ${token} office`;
    await editRecord(page, { Location: "Nashville" }, reason, 2);

    await page.goto("/activity");
    const filters = page.getByRole("search", { name: "Filter the activity log" });
    await filters.getByRole("combobox", { name: "Actor" }).selectOption({ label: EDITOR.name });
    await filters.getByRole("searchbox", { name: "Reason contains" }).fill(token);
    await filters.getByRole("button", { name: "Apply" }).click();
    // The filter names the person by their stable id (their name may change), and shows the name.
    await expect(page).toHaveURL(/[?&]actor=[^&]+/);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${token}(&|$)`));

    const log = page.getByRole("table", { name: "Activities matching the filters, newest first" });
    const rows = log.getByRole("rowgroup").nth(1).getByRole("row");
    await expect(rows).toHaveCount(1);
    await expect(rows.getByRole("cell").nth(1)).toHaveText(EDITOR.name);
    await expect(rows).toContainText("Friends ×1");

    // The filters live in the URL: a reload (or a shared link) shows the same log.
    await page.reload();
    await expect(filters.getByRole("combobox", { name: "Actor" }).locator("option:checked")).toHaveText(EDITOR.name);
    await expect(filters.getByRole("searchbox", { name: "Reason contains" })).toHaveValue(token);
    await expect(rows).toHaveCount(1);

    await rows.getByRole("link", { name: reason }).click();
    await expect(page).toHaveURL(/\/activity\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name: /^Change set #\d+$/ })).toBeVisible();
    const activity = page.getByRole("region", { name: "Activity" });
    await expect(activity).toContainText(reason);
    await expect(activity).toContainText(EDITOR.name);
    const changes = page.getByRole("region", { name: "Friends" });
    const row = changes.getByRole("row").filter({ has: page.getByRole("link", { name: friend.name }) });
    await expect(row).toContainText("v2");
    await expect(row.getByRole("deletion")).toHaveText("was Memphis");
    await expect(row.getByRole("insertion")).toHaveText("now Nashville");

    await row.getByRole("link", { name: friend.name }).click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}$`));
  });

  test("a filter that matches nothing says so, and Clear shows everything again", async ({ page }) => {
    await page.goto(`/activity?q=${encodeURIComponent(unique("no such reason"))}`);
    await expect(page.getByRole("main")).toContainText("No activity matches these filters");
    await page.getByRole("search", { name: "Filter the activity log" }).getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/activity$/);
    await expect(
      page.getByRole("table", { name: "All activities, newest first" }).getByRole("rowgroup").nth(1).getByRole("row"),
    ).toHaveCount(50);
  });

  test("pages to older activity with a cursor and back to the newest", async ({ page }) => {
    await page.goto("/activity");
    const pages = page.getByRole("navigation", { name: "Activity log pages" });
    const rows = page.getByRole("table", { name: "All activities, newest first" }).getByRole("rowgroup").nth(1).getByRole("row");
    await expect(rows).toHaveCount(50);
    const newest = await rows.allTextContents();
    await pages.getByRole("link", { name: "Older →" }).click();
    await expect(page).toHaveURL(/[?&]cursor=\d+/);
    await expect(pages).toContainText("(older page)");
    const older = await rows.allTextContents();
    expect(older.length).toBeGreaterThan(0);
    // Keyset pages: no activity shows on both (each row ends with its unique #ID).
    expect(older.filter((row) => newest.includes(row))).toEqual([]);
    await pages.getByRole("link", { name: "← Newest" }).click();
    await expect(page).toHaveURL(/\/activity$/);
    await expect(pages).toContainText("(newest first)");
  });
});
