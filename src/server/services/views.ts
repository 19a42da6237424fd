import { MAX_SAVED_VIEWS, VIEW_PAGE_NAMES, VIEW_PAGES, type ViewPage } from "@/lib/views";
import { parseViewQuery } from "@/lib/validation/views";
import type { RenameViewInput, SaveViewInput, ViewIdInput } from "@/lib/validation/views";
import type { Db } from "@/server/db";
import { ConflictError, InvalidInputError, NotFoundError } from "@/server/errors";
import { ownRows, type Scope } from "./scope";

/**
 * Saved views: a user's named filters of Logs and Jobs, each a link (the page and its URL's search
 * string). Personal settings: every query is the caller's own rows (`ownRows`), an admin's too.
 */

const VIEW_FIELDS = { id: true, page: true, name: true, query: true, createdAt: true } as const;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";
const label = (page: ViewPage) => VIEW_PAGES[page].label;

/** The caller's views, Logs' first, each page's by name (the same order on every engine). */
export async function listViews(db: Db, scope: Scope) {
  const views = await db.savedView.findMany({ where: ownRows(scope), select: VIEW_FIELDS });
  return views.sort(
    (a, b) =>
      VIEW_PAGE_NAMES.indexOf(a.page) - VIEW_PAGE_NAMES.indexOf(b.page) ||
      a.name.localeCompare(b.name, "en", { sensitivity: "base", numeric: true }) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * Saves the page's filter under a name. The query is checked against the page's own filters and kept
 * normalised (`parseViewQuery`); a name the caller already has on that page gets the new filter
 * (`replaced: true`, and the message says so). A new view beyond `MAX_SAVED_VIEWS` is refused.
 */
export async function saveView(db: Db, scope: Scope, input: SaveViewInput) {
  const parsed = parseViewQuery(input.page, input.query);
  if (!parsed.ok) throw new InvalidInputError(parsed.problem);
  const { page, name } = input;
  const key = { userId_page_name: { userId: scope.userId, page, name } };
  const replace = async (previous: string) => {
    const view = await db.savedView.update({ where: key, data: { query: parsed.query }, select: VIEW_FIELDS });
    const message =
      previous === parsed.query
        ? `“${name}” already opens this filter of ${label(page)}.`
        : `“${name}” now opens this filter of ${label(page)}: it replaced the filter saved under that name.`;
    return { view, replaced: true, message };
  };

  const existing = await db.savedView.findUnique({ where: key, select: { query: true } });
  if (existing) return replace(existing.query);
  // A soft cap: two saves at the same moment may both pass it, which costs nothing.
  const count = await db.savedView.count({ where: ownRows(scope) });
  if (count >= MAX_SAVED_VIEWS)
    throw new InvalidInputError(
      `You already have ${MAX_SAVED_VIEWS} saved views, the most an account keeps: delete one you no longer use, or save under the name of an existing view to replace its filter.`,
    );
  try {
    const view = await db.savedView.create({
      data: { userId: scope.userId, page, name, query: parsed.query },
      select: VIEW_FIELDS,
    });
    return { view, replaced: false, message: `Saved “${name}” as a view of ${label(page)}.` };
  } catch (error) {
    // The same name saved at the same moment (another tab): this save replaces it.
    if (isUniqueViolation(error)) return replace("");
    throw error;
  }
}

/** The caller's own view by id, or NOT_FOUND (another user's view is as absent as a missing one). */
async function ownView(db: Db, scope: Scope, id: string) {
  const view = await db.savedView.findFirst({ where: { id, ...ownRows(scope) }, select: VIEW_FIELDS });
  if (!view) throw new NotFoundError("Saved view");
  return view;
}

/** Renames one of the caller's views; a name another of their views of that page has is refused. */
export async function renameView(db: Db, scope: Scope, input: RenameViewInput) {
  const view = await ownView(db, scope, input.id);
  if (view.name === input.name) return { view, renamed: false };
  const taken = () =>
    new ConflictError(
      `You already have a view of ${label(view.page)} named “${input.name}”: choose another name, or delete that view first.`,
    );
  const other = await db.savedView.findUnique({
    where: { userId_page_name: { userId: scope.userId, page: view.page, name: input.name } },
    select: { id: true },
  });
  if (other) throw taken();
  try {
    const renamed = await db.savedView.update({
      where: { id: view.id },
      data: { name: input.name },
      select: VIEW_FIELDS,
    });
    return { view: renamed, renamed: true };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

/** Deletes one of the caller's views. */
export async function deleteView(db: Db, scope: Scope, input: ViewIdInput) {
  const { count } = await db.savedView.deleteMany({ where: { id: input.id, ...ownRows(scope) } });
  if (count === 0) throw new NotFoundError("Saved view");
  return { id: input.id, deleted: true };
}
