/**
 * The talk's story (Joey Leingang, PyCon 2017): where does Rachel live, where did she
 * live, and who moved her, when and why. Numbered screenshots and a video land in demo-output/.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { EDITOR, editCard, expect, expectVersion, latestChanges, newestTick, reviewDialog, submitSignIn, test } from "../support";
import { DEMO_OUTPUT } from "./paths";

const NEW_CITY = "Seattle";
const REASON = "Rachel moved to Seattle to lead the new office (confirmed by phone)";

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  const file = join(DEMO_OUTPUT, `${String(shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`[demo] ${file}`);
}

test("the talk: Rachel's move, recorded with who, when and why", async ({ page }) => {
  // Everyone signs in; the demo database lists its public demo accounts on the sign-in page.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("region", { name: "Demo accounts" })).toContainText(EDITOR.email);
  await screenshot(page, "sign-in");
  await submitSignIn(page, EDITOR.email, EDITOR.password);
  await expect(page.getByTestId("signed-in-user")).toHaveText(EDITOR.name);
  await expect(page.getByRole("banner")).toContainText("Times shown in America/New_York");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await screenshot(page, "overview");

  // Open Friends, then Rachel.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Friends" }).click();
  const friends = page.getByRole("table", { name: "Friends" });
  await expect(friends.getByRole("link", { name: "Rachel", exact: true })).toBeVisible();
  await screenshot(page, "friends");
  await friends.getByRole("link", { name: "Rachel", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Rachel\s*version 2$/);
  const rachelPath = new URL(page.url()).pathname;
  const values = page.getByRole("region", { name: "Current values" });
  await expect(values).toContainText("San Francisco");
  const blame = values.getByRole("link", { name: /Jan 8, 2016.*version 2\. View history/ });
  await blame.hover();
  await expect(page.getByRole("tooltip", { name: /Rachel moved from New York to San Francisco for a new job/ })).toBeVisible();
  await screenshot(page, "rachel-lives-in-san-francisco");

  // Her location's history: New York, then San Francisco from 2016-01-08, with the reason.
  await blame.click();
  await expect(page.getByRole("heading", { level: 1, name: "Location: every value" })).toBeVisible();
  const history = page.getByRole("table");
  await expect(
    history.getByRole("row", { name: /^San Francisco current v2\+ Jan 8, 2016.*now.*Rachel moved from New York to San Francisco/ }),
  ).toBeVisible();
  await expect(history.getByRole("row", { name: /^New York v1 Oct 8, 2014.*Jan 8, 2016.*Met Rachel in New York/ })).toBeVisible();
  await screenshot(page, "location-history-new-york-to-san-francisco");

  // The signed-in editor moves Rachel through the review dialog.
  await page.getByRole("link", { name: "Back to record" }).click();

  await editCard(page).getByRole("textbox", { name: "Location", exact: true }).fill(NEW_CITY);
  await editCard(page).getByRole("button", { name: "Review changes…" }).click();
  const dialog = reviewDialog(page);
  await expect(dialog.getByRole("row", { name: /^Location/ })).toContainText(`was San Francisco→now ${NEW_CITY}`);
  await dialog.getByLabel("Reason for this change").pressSequentially(REASON, { delay: 15 });
  await screenshot(page, "review-dialog-with-reason");
  await dialog.getByRole("button", { name: "Save 1 change" }).click();
  await expect(dialog).toBeHidden();
  await expect(editCard(page).getByRole("status")).toHaveText("Saved as version 3.");
  await expectVersion(page, 3);

  // The new tick, at the top of her latest changes.
  const tick = newestTick(latestChanges(page));
  await expect(tick).toContainText(`v3`);
  await expect(tick).toContainText(EDITOR.name);
  await expect(tick.getByRole("insertion")).toHaveText(`now ${NEW_CITY}`);
  await screenshot(page, "saved-new-tick");

  await page.getByRole("link", { name: "Full history", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "History of Rachel" })).toBeVisible();
  await expect(newestTick(page.getByRole("main"))).toContainText(REASON);
  await screenshot(page, "full-history");

  // The change set of that edit: a citable page with before → after.
  await newestTick(page.getByRole("main"))
    .getByRole("link", { name: `“${REASON}”` })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: /^Change set #\d+$/ })).toBeVisible();
  const rachel = page.getByRole("region", { name: "Friends" }).getByRole("row", { name: /Rachel/ });
  await expect(rachel.getByRole("deletion")).toHaveText("was San Francisco");
  await expect(rachel.getByRole("insertion")).toHaveText(`now ${NEW_CITY}`);
  await screenshot(page, "change-set");

  // And the activity log, filtered to the editor: the edit sits beside the seeded history.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity log" }).click();
  const filters = page.getByRole("search", { name: "Filter the activity log" });
  await filters.getByRole("combobox", { name: "Actor" }).selectOption({ label: EDITOR.name });
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]actor=[^&]+/);
  const log = page.getByRole("table", { name: "Activities matching the filters, newest first" });
  await expect(log.getByRole("rowgroup").nth(1).getByRole("row").first()).toContainText(REASON);
  await screenshot(page, "activity-log");

  // The auditor's half: where did Rachel live before the move, and what changed between any two versions.
  await page.goto(`${rachelPath}?version=2`);
  await expect(page.getByTestId("history-banner")).toContainText("Read-only history: version 2 of 3");
  await expect(page.getByRole("region", { name: "Values at version 2" }).getByTestId("value-location")).toHaveText("San Francisco");
  await screenshot(page, "rachel-as-of-version-2");
  await page.goto(`${rachelPath}/compare?from=1&to=3`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Compare versions");
  await expect(page.getByRole("main")).toContainText(NEW_CITY);
  await screenshot(page, "compare-version-1-with-3");

  // The friends as they were in mid-2015, before Rachel's first move.
  await page.goto("/t/friend?asOf=2015-06-01");
  await expect(page.getByRole("region", { name: "Read-only history" })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Friends as of/ }).getByRole("row", { name: /Rachel/ })).toContainText("New York");
  await screenshot(page, "friends-as-of-2015");

  // A member's premium over two years: a lane per property and a step chart for the numbers.
  await page.goto("/t/member/1");
  const timelines = page.getByRole("region", { name: "Timelines" });
  await expect(page.getByTestId("chart-Monthly premium").locator("path.recharts-curve")).toBeVisible();
  await timelines.evaluate((card) => card.scrollIntoView({ block: "start" }));
  await screenshot(page, "member-timelines");

  // Who changed premiums, across every member.
  await page.goto("/t/member/changes?property=premium");
  await expect(page.getByRole("heading", { level: 1, name: "Members: changes of Monthly premium" })).toBeVisible();
  await screenshot(page, "premium-changes-across-members");

  // Rachel set back to San Francisco: a preview against now, then a new tick with a reason.
  await page.goto(`${rachelPath}/revert?to=2`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Revert Rachel to version 2");
  await expect(page.getByRole("textbox", { name: "Reason for this revert" })).toHaveValue("Reverts Rachel to version 2");
  await screenshot(page, "revert-preview");
  await page.getByRole("button", { name: "Revert 1 property to version 2" }).click();
  await expect(page).toHaveURL(new RegExp(`${rachelPath}/history$`));
  await expect(newestTick(page.getByRole("main"))).toContainText("v4");
  await expect(newestTick(page.getByRole("main")).getByRole("insertion")).toHaveText(["now San Francisco"]);
  await screenshot(page, "reverted-as-a-new-tick");

  const video = page.video();
  await page.close();
  if (video) {
    const file = join(DEMO_OUTPUT, "talk.webm");
    await video.saveAs(file);
    console.log(`[demo] ${file}`);
  }
});
