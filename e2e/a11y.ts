/**
 * Accessibility checks for the specs: axe-core on the page as it is now (WCAG 2.1 A and AA rules plus axe's
 * best practices), failing with each violation's rule, impact and the elements it found.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** Fails the test when axe finds any violation on the page (or inside `include`, a CSS selector). */
export async function expectNoA11yViolations(page: Page, options: { include?: string; label?: string } = {}) {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (options.include) builder = builder.include(options.include);
  const { violations } = await builder.analyze();
  const report = violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "?"}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n")}`,
  );
  expect(report, `axe on ${options.label ?? page.url()}`).toEqual([]);
}
