/** axe-core on every page of the app, as each role that may see it, with dialogs open too: zero violations. */
import { expectNoA11yViolations } from "./a11y";
import { ADMIN, AUDITOR, EDITOR, SIGNED_OUT, createFriend, editCard, editRecord, expect, reviewDialog, test } from "./support";

const pages = [
  { name: "overview", path: "/" },
  { name: "members", path: "/t/member" },
  { name: "members filtered and sorted", path: "/t/member?sort=premium&dir=desc&f.plan=gold" },
  { name: "providers", path: "/t/provider" },
  { name: "friends", path: "/t/friend" },
  { name: "members as of a moment", path: "/t/member?asOf=2025-03-01T12:00:00Z&sort=premium&dir=desc" },
  { name: "members compared between two moments", path: "/t/member?asOf=2025-01-01T00:00:00Z&compareTo=2025-03-01T00:00:00Z" },
  { name: "friends compared, only changed rows", path: "/t/friend?asOf=2015-01-01T00:00:00Z&compareTo=2016-02-01T00:00:00Z&changed=1" },
  { name: "a table with a bad moment", path: "/t/member?asOf=yesterday" },
  { name: "changes across members", path: "/t/member/changes?property=premium" },
  {
    name: "changes of one actor in a window",
    path: "/t/friend/changes?property=location&to=2017-01-01T00:00:00Z&actor=joey%40pycon2017.example",
  },
  { name: "a member", path: "/t/member/1" },
  { name: "a friend (the talk's Rachel)", path: "/t/friend/2" },
  { name: "a member's full history", path: "/t/member/1/history" },
  { name: "one property's history", path: "/t/member/1/history?property=premium" },
  { name: "a member as of a version", path: "/t/member/1?version=1" },
  { name: "a member as of a moment", path: "/t/member/1?asOf=2025-01-01" },
  { name: "a member before it existed", path: "/t/member/1?asOf=2000-01-01" },
  { name: "a member's versions compared side by side", path: "/t/member/1/compare?from=1" },
  { name: "a member's versions compared inline with unchanged shown", path: "/t/member/1/compare?from=1&view=inline&all=1" },
  { name: "one property's history in a date window", path: "/t/member/1/history?property=premium&from=2025-01-01&to=2026-01-01" },
  { name: "a member's revert preview", path: "/t/member/1/revert?to=1" },
  { name: "activity log", path: "/activity" },
  { name: "unknown page", path: "/no-such-page" },
];

for (const who of [AUDITOR, EDITOR, ADMIN]) {
  test.describe(`as ${who.role}`, () => {
    test.use({ storageState: who.state });
    for (const { name, path } of pages) {
      test(`${name} has no accessibility violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole("main")).toBeVisible();
        await expectNoA11yViolations(page);
      });
    }
  });
}

test.describe("pages of one role", () => {
  test("a change set has no accessibility violations", async ({ page }) => {
    await page.goto("/activity");
    await page.getByRole("main").getByRole("table").getByRole("link").first().click();
    await expect(page).toHaveURL(/\/activity\/\d+/);
    await expectNoA11yViolations(page);
  });

  test("the create form and the new-person form have no accessibility violations", async ({ browser, page, baseURL }) => {
    await page.goto("/t/member/new");
    await expectNoA11yViolations(page);
    const admin = await browser.newContext({ baseURL, storageState: ADMIN.state });
    const adminPage = await admin.newPage();
    await adminPage.goto("/people/new");
    await expectNoA11yViolations(adminPage);
    await adminPage.goto("/t/staff");
    await expectNoA11yViolations(adminPage);
    await admin.close();
  });

  test("the review and retire dialogs have no accessibility violations", async ({ page }) => {
    const friend = await createFriend(page);
    await editCard(page).getByRole("textbox", { name: "Location", exact: true }).fill("Oakland");
    await editCard(page).getByRole("button", { name: "Review changes…" }).click();
    await expect(reviewDialog(page)).toBeVisible();
    await expectNoA11yViolations(page, { label: `${friend.path} with the review dialog open` });
    await reviewDialog(page).getByRole("button", { name: "Keep editing" }).click();
    await page.getByRole("button", { name: "Retire…" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoA11yViolations(page, { label: `${friend.path} with the retire dialog open` });
  });

  test("a changed cell's old value, open on keyboard focus, has no accessibility violations", async ({ page }) => {
    await page.goto("/t/friend?asOf=2016-01-01T00:00:00Z&compareTo=2016-02-01T00:00:00Z");
    await page.getByRole("button", { name: "Location changed" }).focus();
    await expect(page.getByRole("tooltip")).toBeVisible();
    await expectNoA11yViolations(page, { label: "a compared table with a changed cell's old value open" });
  });

  test("the undo preview of an activity, with conflicts to settle, has no accessibility violations", async ({ page }) => {
    const friend = await createFriend(page, { location: "Fresno" });
    await editRecord(page, { Location: "Modesto" }, "Moved to Modesto (a11y)", 2);
    await editRecord(page, { Location: "Merced" }, "Moved to Merced (a11y)", 3);
    await page.goto(`${friend.path}/history`);
    await page.getByRole("link", { name: "“Moved to Modesto (a11y)”" }).click();
    await expectNoA11yViolations(page, { label: "a change set with its undo button" });
    await page.getByRole("link", { name: "Undo this activity…" }).click();
    await expect(page.getByRole("radio", { name: "Keep now: Merced" })).toBeVisible();
    await expectNoA11yViolations(page);
    await page.goto(`${friend.path}/revert?to=1`);
    await expect(page.getByRole("checkbox", { name: "Restore Location" })).toBeChecked();
    await expectNoA11yViolations(page);
  });

  test("the 403 page has no accessibility violations", async ({ browser, baseURL }) => {
    const auditor = await browser.newContext({ baseURL, storageState: AUDITOR.state });
    const page = await auditor.newPage();
    await page.goto("/t/friend/new");
    await expect(page.getByRole("main")).toContainText(/403|role/i);
    await expectNoA11yViolations(page);
    await auditor.close();
  });

  test("the sign-in page has no accessibility violations", async ({ browser, baseURL }) => {
    const nobody = await browser.newContext({ baseURL, storageState: SIGNED_OUT });
    const page = await nobody.newPage();
    await page.goto("/sign-in");
    await expectNoA11yViolations(page);
    await nobody.close();
  });
});
