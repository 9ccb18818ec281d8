/**
 * Shared helpers for the end-to-end specs: who is signed in, unique test data, and
 * the record page's parts, found by role and label the way a person finds them.
 */
import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../db/demo-accounts";
import type { Role } from "../lib/auth/roles";

export { expect, test } from "@playwright/test";

/** The demo's people, one per role (db/demo-accounts.ts): the seed creates them, the setup project signs each in once. */
export type Account = (typeof DEMO_ACCOUNTS)[number] & { state: string };
const account = (role: Role): Account => {
  const found = DEMO_ACCOUNTS.find((candidate) => candidate.role === role)!;
  return { ...found, state: `e2e/.auth/${role}.json` };
};
export const EDITOR = account("editor");
export const AUDITOR = account("auditor");
export const ADMIN = account("admin");
/** The zone the browser reports (see playwright.config.ts); the server renders times in it. */
export const TIME_ZONE = "America/New_York";
/** The header e2e/server.ts tells the app to trust as a proxy's client address (TRUSTED_PROXY_HEADER). */
export const CLIENT_ADDRESS_HEADER = "x-e2e-client-address";
/** A browser with no cookies at all: nobody signed in. */
export const SIGNED_OUT = { cookies: [], origins: [] };

let counter = 0;
/** A value no other test (or earlier run against the same server) has used. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix} ${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Fills the sign-in form, submits it and waits for the server's answer (so attempts are
 * counted one by one); the caller says what the page should show next.
 */
export async function submitSignIn(page: Page, email: string, password: string) {
  const form = page.getByRole("main");
  await form.getByRole("textbox", { name: "Email" }).fill(email);
  await form.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((response) => response.request().method() === "POST" && /\/sign-in/.test(response.url()));
  await form.getByRole("button", { name: "Sign in" }).click();
  await answered;
}

/** The sign-in form's message (wrong password, locked out). */
export const signInAlert = (page: Page) => page.getByRole("main").getByRole("alert");

/** Signs in through the sign-in page and waits until the header names the person. */
export async function signIn(page: Page, who: { email: string; password: string; name: string }) {
  await page.goto("/sign-in");
  await submitSignIn(page, who.email, who.password);
  await expect(page.getByTestId("signed-in-user")).toHaveText(who.name);
}

/** A second browser (its own cookies), signed in as someone else: a colleague working at the same time. */
export async function contextAs(browser: Browser, baseURL: string, who: Account): Promise<BrowserContext> {
  return browser.newContext({ baseURL, timezoneId: TIME_ZONE, viewport: { width: 1280, height: 900 }, storageState: who.state });
}

export type Friend = { name: string; location: string; path: string; id: string };

/** Creates a friend through the create form (with a reason) and waits on its record page. */
export async function createFriend(page: Page, values: { name?: string; location?: string; reason?: string } = {}): Promise<Friend> {
  const name = values.name ?? unique("Friend");
  const location = values.location ?? "Portland";
  await page.goto("/t/friend/new");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByRole("textbox", { name: "Location", exact: true }).fill(location);
  await page.getByRole("textbox", { name: "Reason", exact: true }).fill(values.reason ?? `Met ${name} at the e2e meetup`);
  await page.getByRole("button", { name: "Create friend" }).click();
  await expect(page).toHaveURL(/\/t\/friend\/\d+$/);
  await expect(recordHeading(page)).toHaveText(new RegExp(`^${escapeRegExp(name)}\\s*version 1$`));
  const path = new URL(page.url()).pathname;
  return { name, location, path, id: path.split("/").pop()! };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The record page's title: "<name> version N", plus "Retired" when it is. */
export const recordHeading = (page: Page) => page.getByRole("heading", { level: 1 });

export async function expectVersion(page: Page, version: number) {
  await expect(recordHeading(page)).toContainText(new RegExp(`version ${version}(?!\\d)`));
}

export const editCard = (page: Page) => page.getByRole("region", { name: "Edit" });
export const latestChanges = (page: Page) => page.getByRole("region", { name: "Latest changes" });
export const currentValues = (page: Page) => page.getByRole("region", { name: "Current values" });
export const reviewDialog = (page: Page) => page.getByRole("dialog", { name: "Review your changes" });

/** The ticks of a feed ("Latest changes", or the full history), newest first: each one links its reason. */
export const ticksOf = (feed: Locator) => feed.getByRole("listitem").filter({ has: feed.page().getByRole("link", { name: /^“.*”$/ }) });
export const newestTick = (feed: Locator) => ticksOf(feed).first();

/** Types new values into the Edit card and opens the review dialog. */
export async function reviewEdits(page: Page, changes: Record<string, string>): Promise<Locator> {
  const card = editCard(page);
  for (const [label, value] of Object.entries(changes)) await card.getByRole("textbox", { name: label, exact: true }).fill(value);
  await card.getByRole("button", { name: "Review changes…" }).click();
  const dialog = reviewDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Gives the reason in the open review dialog and saves; returns the dialog (closed on success). */
export async function saveWithReason(page: Page, reason: string, changeCount = 1): Promise<Locator> {
  const dialog = reviewDialog(page);
  await dialog.getByLabel("Reason for this change").fill(reason);
  await dialog.getByRole("button", { name: `Save ${changeCount} change${changeCount === 1 ? "" : "s"}` }).click();
  return dialog;
}

/** Edit → review → reason → save, and wait for the new version. */
export async function editRecord(page: Page, changes: Record<string, string>, reason: string, expectedVersion: number) {
  await reviewEdits(page, changes);
  const dialog = await saveWithReason(page, reason, Object.keys(changes).length);
  await expect(dialog).toBeHidden();
  await expect(editCard(page).getByRole("status")).toHaveText(`Saved as version ${expectedVersion}.`);
  await expectVersion(page, expectedVersion);
}
