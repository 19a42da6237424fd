import { z } from "zod";
import { parseViewQuery, VIEW_NAME_MAX, VIEW_PAGE_NAMES, VIEW_QUERY_MAX } from "../views";
import { text } from "./common";

export const viewPage = z.enum(VIEW_PAGE_NAMES, { error: `page must be ${VIEW_PAGE_NAMES.join(" or ")}` });

export const viewName = text({ error: "Give the view a name" })
  .trim()
  .min(1, "Give the view a name")
  .max(VIEW_NAME_MAX, `A view's name is at most ${VIEW_NAME_MAX} characters`);

const viewId = text({ error: "id must be a saved view's id" })
  .trim()
  .min(1, "id is required")
  .max(64, "id is too long");

/**
 * A view to save: the page, a name, and the page's URL search string (`status=FAILED&taskType=…`). The
 * query must be one the page takes (`parseViewQuery`: its own parameters and values, nothing else); the
 * service keeps it normalised. The same name on the same page replaces that view's filter.
 */
export const saveViewInput = z
  .object({
    page: viewPage,
    name: viewName,
    query: text({ error: "query must be text" }).max(
      VIEW_QUERY_MAX,
      `A view's filter is at most ${VIEW_QUERY_MAX} characters`,
    ),
  })
  .strict()
  .superRefine((value, ctx) => {
    // Only a known page's text is read (a refinement may run after another field's issue).
    if (!VIEW_PAGE_NAMES.includes(value.page) || typeof value.query !== "string") return;
    const parsed = parseViewQuery(value.page, value.query);
    if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["query"], message: parsed.problem });
  });
export type SaveViewInput = z.infer<typeof saveViewInput>;

export const renameViewInput = z.object({ id: viewId, name: viewName }).strict();
export type RenameViewInput = z.infer<typeof renameViewInput>;

export const viewIdInput = z.object({ id: viewId }).strict();
export type ViewIdInput = z.infer<typeof viewIdInput>;
