/**
 * The edit half of the load: editors in a real browser (Chromium, a context each, signed in once as
 * the demo editor), each editing a friend of its own the way a person does: open the record, type a
 * location, review, give a reason, save, and read what the page then says. That is the save's outcome
 * as its editor knows it: "Saved as version N" (acknowledged), a message that nothing was saved or
 * changed (refused), or nothing to trust (unknown: no answer, sent to sign-in, anything else).
 */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { editCard, EDITOR, reviewDialog, submitSignIn, TIME_ZONE } from "../../e2e/support";
import type { Save } from "./audit";

export type Edit = {
  editor: number;
  at: number;
  ms: number;
  kind: string;
  save?: Save;
  /** When Save was pressed (an edit that got that far). */
  savedAt?: number;
};
export type Target = { id: number; path: string };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
}

/** A signed-in browser's cookies and storage, for more contexts to start from. */
export type EditorState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** Signs the editor in through the sign-in page; returns the browser state and the same cookies as a header. */
export async function signInEditor(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, timezoneId: TIME_ZONE });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await submitSignIn(page, EDITOR.email, EDITOR.password);
  // The browser reports its time zone once (a cookie, then a refresh): wait for it, so the state has it.
  await page.getByTestId("time-zone").filter({ hasText: TIME_ZONE }).waitFor({ timeout: 30_000 });
  const state = await context.storageState();
  await context.close();
  return { state, cookie: state.cookies.map((c) => `${c.name}=${c.value}`).join("; ") };
}

/** The error page's heading (app/error.tsx), shown instead of the page or after an action threw. */
const errorHeading = (page: Page) =>
  page.getByRole("heading", { name: /^(This page could not be shown|The database is unavailable right now)$/ });

const firstLine = (text: string) => text.trim().split("\n")[0]!.slice(0, 90);

/** Polls what the page shows after Save until it says something, for at most `timeout` ms. */
async function outcome(page: Page, card: Locator, timeout: number): Promise<{ kind: string; outcome: Save["outcome"]; vclock?: number }> {
  const deadline = performance.now() + timeout;
  while (performance.now() < deadline) {
    const status = card.getByRole("status");
    if (await status.isVisible()) {
      const saved = /Saved as version (\d+)\./.exec(await status.innerText());
      if (saved) return { kind: "saved", outcome: "acknowledged", vclock: Number(saved[1]) };
      return { kind: `status: ${firstLine(await status.innerText())}`, outcome: "unknown" };
    }
    for (const shown of [card.getByRole("alert").first(), errorHeading(page).locator("xpath=ancestor::*[@role='alert'][1]")]) {
      if (!(await shown.isVisible())) continue;
      const text = await shown.innerText();
      const refused = /nothing was (saved|changed)/i.test(text);
      return { kind: `${refused ? "refused" : "said"}: ${firstLine(text)}`, outcome: refused ? "refused" : "unknown" };
    }
    if (new URL(page.url()).pathname === "/sign-in") return { kind: "sent to sign-in", outcome: "unknown" };
    await page.waitForTimeout(100);
  }
  return { kind: `no answer within ${timeout / 1000} s`, outcome: "unknown" };
}

type Ready = { editor: number; at: number; label: string };

const finished = (ready: Ready, kind: string, save?: Save, savedAt?: number): Edit => ({
  editor: ready.editor,
  at: ready.at,
  ms: performance.now() - ready.at,
  kind,
  save,
  savedAt,
});

/** Opens the record, types the location, reviews and gives the reason: everything up to Save. */
async function openEdit(page: Page, target: Target, editor: number, n: number): Promise<Ready | Edit> {
  const ready: Ready = { editor, at: performance.now(), label: `editor ${editor} edit ${n}` };
  const card = editCard(page);
  const field = card.getByRole("textbox", { name: "Location", exact: true });
  try {
    await page.goto(target.path, { timeout: 30_000 });
    await field.or(errorHeading(page)).first().waitFor({ timeout: 15_000 });
    if (!(await field.isVisible())) return finished(ready, `record page: ${await errorHeading(page).innerText()}`);
    await field.fill(ready.label);
    await card.getByRole("button", { name: "Review changes…" }).click();
    await reviewDialog(page).getByLabel("Reason for this change").fill(`Reliability check: ${ready.label}`);
    return ready;
  } catch (error) {
    return finished(ready, `before saving: ${firstLine((error as Error).message)}`);
  }
}

/** Clicks Save and reads the outcome. From the click on the save may happen: whatever follows, it is audited. */
async function submitEdit(page: Page, ready: Ready): Promise<Edit> {
  const save: Save = { reason: `Reliability check: ${ready.label}`, location: ready.label, outcome: "unknown" };
  const savedAt = performance.now();
  try {
    await reviewDialog(page).getByRole("button", { name: "Save 1 change" }).click();
    const seen = await outcome(page, editCard(page), 60_000);
    Object.assign(save, { outcome: seen.outcome, vclock: seen.vclock });
    return finished(ready, seen.kind, save, savedAt);
  } catch (error) {
    return finished(ready, `after saving: ${firstLine((error as Error).message)}`, save, savedAt);
  }
}

async function editOnce(page: Page, target: Target, editor: number, n: number): Promise<Edit> {
  const ready = await openEdit(page, target, editor, n);
  return "kind" in ready ? ready : submitEdit(page, ready);
}

type Editors = { browser: Browser; baseURL: string; state: EditorState };

async function editorPage(options: Editors): Promise<Page> {
  const context = await options.browser.newContext({ baseURL: options.baseURL, timezoneId: TIME_ZONE, storageState: options.state });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** One editor per target, editing it again and again until told to stop. */
export async function editLoop(options: Editors & { targets: Target[]; stopped: () => boolean; edits: Edit[] }): Promise<void> {
  await Promise.all(
    options.targets.map(async (target, editor) => {
      const page = await editorPage(options);
      for (let n = 0; !options.stopped(); n++) options.edits.push(await editOnce(page, target, editor, n));
      await page.context().close();
    }),
  );
}

/**
 * Editors who open their form while the database is up and press Save once it is down (`down`
 * resolves): the saves an outage refuses. Numbered after the looping editors (`first`).
 */
export async function saveDuringOutage(options: Editors & { targets: Target[]; first: number; down: Promise<void> }): Promise<Edit[]> {
  return Promise.all(
    options.targets.map(async (target, i) => {
      const page = await editorPage(options);
      const ready = await openEdit(page, target, options.first + i, 0);
      await options.down;
      const edit = "kind" in ready ? ready : await submitEdit(page, ready);
      await page.context().close();
      return edit;
    }),
  );
}
