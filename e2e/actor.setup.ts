/**
 * Names the ops user once, through the header's "Acting as" box (an httpOnly cookie),
 * and saves the browser state every spec starts from.
 */
import { expect, OPS_ACTOR, OPS_STATE, test, TIME_ZONE } from "./support";

test("an ops user names themselves in the Acting as box", async ({ page }) => {
  await page.goto("/");
  // The browser reports its time zone once (a cookie, then a refresh): wait for it so the refresh cannot race the form.
  const header = page.getByRole("banner");
  await expect(header).toContainText(`Times shown in ${TIME_ZONE}`);
  await header.getByRole("textbox", { name: "Acting as" }).fill(OPS_ACTOR);
  await header.getByRole("button", { name: "Save" }).click();
  await expect(header.getByRole("button", { name: "Change" })).toBeVisible();
  await expect(header).toContainText(`Acting as${OPS_ACTOR}`);
  // The name is kept by the server, not the page: a reload still shows it.
  await page.reload();
  await expect(header).toContainText(`Acting as${OPS_ACTOR}`);
  await expect(header.getByRole("textbox", { name: "Acting as" })).toHaveCount(0);
  await page.context().storageState({ path: OPS_STATE });
});
