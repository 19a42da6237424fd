import { test as base, expect, type Page } from "@playwright/test";

/**
 * Every e2e test runs under a console guard: any uncaught page error, and any console error, in any
 * page of the test's browser context fails the test. A test that provokes an error on purpose (a 403
 * it asks for) declares it with `allowConsoleErrors(/pattern/)`.
 */
export const test = base.extend<{
  allowed: RegExp[];
  allowConsoleErrors: (pattern: RegExp) => void;
  consoleGuard: void;
}>({
  allowed: async ({}, provide) => provide([]),
  allowConsoleErrors: async ({ allowed }, provide) => provide((pattern) => allowed.push(pattern)),
  consoleGuard: [
    async ({ context, allowed }, provide) => {
      const errors: string[] = [];
      const watch = (page: Page) => {
        page.on("pageerror", (error) => errors.push(`page error on ${page.url()}: ${error.message}`));
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(`console error on ${page.url()}: ${message.text()}`);
        });
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      await provide();
      expect(
        errors.filter((e) => !allowed.some((pattern) => pattern.test(e))),
        "page errors and console errors",
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";
