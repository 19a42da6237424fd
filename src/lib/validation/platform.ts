import { z } from "zod";
import { text } from "./common";

import { PLATFORMS } from "../platforms";

export { PLATFORM_NAMES, PLATFORMS } from "../platforms";

const platformEnum = z.enum(PLATFORMS, { error: `platform must be one of ${PLATFORMS.join(", ")}` });
export const platformInput = z.object({ platform: platformEnum }).strict();
export type PlatformInput = z.infer<typeof platformInput>;

/** All platforms, or one (a platform's own page). */
export const platformFilterInput = z.object({ platform: platformEnum.optional() }).strict().default({});
export type PlatformFilterInput = z.infer<typeof platformFilterInput>;

/** A website to analyse: an absolute http(s) URL, kept without its fragment. */
export const websiteUrl = z
  .string()
  .trim()
  .min(1, "Enter the website's address")
  .max(2048, "The address is too long")
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a valid web address, like https://www.example.com/" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: "Only http and https addresses can be analysed" });
      return z.NEVER;
    }
    if (!url.hostname.includes(".") && url.hostname !== "localhost" && !/^\d+\.\d+\.\d+\.\d+$/.test(url.hostname)) {
      ctx.addIssue({ code: "custom", message: "Enter a full domain name, like www.example.com" });
      return z.NEVER;
    }
    url.hash = "";
    return url.toString();
  });

export const addWebsiteInput = z
  .object({
    url: websiteUrl,
    role: z.enum(["OWN", "COMPETITOR"], { error: "role must be OWN or COMPETITOR" }),
    label: text().trim().max(100, "The label is at most 100 characters").optional(),
  })
  .strict();
export type AddWebsiteInput = z.input<typeof addWebsiteInput>;

export const websiteIdInput = z.object({ websiteId: text().trim().min(1, "websiteId is required").max(64) }).strict();
export type WebsiteIdInput = z.infer<typeof websiteIdInput>;

export const alertIdInput = z.object({ alertId: text().trim().min(1, "alertId is required").max(64) }).strict();
