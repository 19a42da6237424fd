import { z } from "zod";
import { SEARCH_MAX_LENGTH, searchProblem, searchWords } from "@/lib/search";

/**
 * Every string an input takes: text a database can store. A lone surrogate half ("\ud800") is refused by
 * both engines and a NUL character by PostgreSQL, so each is a BAD_REQUEST here, never a database error.
 */
export const text = (params?: Parameters<typeof z.string>[0]) =>
  z
    .string(params)
    .refine((value) => value.isWellFormed(), "This text contains a broken character (a lone surrogate)")
    .refine((value) => !value.includes("\u0000"), "This text contains a NUL character, which cannot be stored");

export const pageInput = z
  .object({
    limit: z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
    cursor: z.number().int().positive().nullish(),
  })
  .strict()
  .default({ limit: 50 });
export type PageInput = z.infer<typeof pageInput>;

/** Sent by react-query's infinite queries along with the cursor; pages only go forward. */
export const infiniteDirection = z.enum(["forward", "backward"]).optional();

/**
 * A search box's text (Logs and Jobs): words that must all occur, see src/lib/search.ts. Blank means no
 * search (undefined).
 */
export const searchInput = text()
  .max(SEARCH_MAX_LENGTH, `Search for at most ${SEARCH_MAX_LENGTH} characters`)
  .transform((value) => (searchWords(value).length ? value.trim().replace(/\s+/gu, " ") : undefined))
  .superRefine((value, ctx) => {
    const problem = value === undefined ? null : searchProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .optional();
