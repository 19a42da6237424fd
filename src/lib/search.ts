/**
 * The one definition of what a search box matches (Logs and Jobs). A search is words separated by
 * spaces; a row matches when every word occurs in its searchable text (case-insensitive, anywhere in a
 * word: "exam" finds "example.com"). In a word, `_` stands for any one character and `%` for any run of
 * characters. The searchable text is kept by the database (migrations 0016, 0017): a log's type and
 * platform, outcome and trigger (their codes and the names people know: "Search Console insights",
 * "Bing Webmaster", "Timed out"), website, error message and category, and the text values of its
 * result; a job's type, platform, status, website, failure reason and why it ended.
 */
export const SEARCH_MAX_LENGTH = 200;
export const SEARCH_MAX_WORDS = 8;
/** Each word needs this many characters in a row besides the wildcards: the trigram indexes need three. */
export const SEARCH_MIN_RUN = 3;

/** The words of a search, lower-cased, without repeats; empty when there is nothing to search for. */
export function searchWords(search: string | undefined | null): string[] {
  if (!search) return [];
  return [...new Set(search.trim().toLowerCase().split(/\s+/u).filter(Boolean))];
}

/** Why a search cannot be run, in words, or null when it can. */
export function searchProblem(search: string): string | null {
  const words = searchWords(search);
  if (words.length > SEARCH_MAX_WORDS) return `Search for at most ${SEARCH_MAX_WORDS} words at once`;
  if (words.some((w) => w.includes("\\"))) return "A search cannot contain a backslash";
  const short = words.find((w) => !w.split(/[%_]/u).some((run) => run.length >= SEARCH_MIN_RUN));
  if (short === undefined) return null;
  const besides = /[%_]/u.test(short) ? " in a row besides _ and %" : "";
  return `Each search word needs at least ${SEARCH_MIN_RUN} characters${besides} ("${short}" is too short)`;
}

/** Whether `text` matches the search: the definition above, for code that searches in memory (tests). */
export function matchesSearch(text: string, search: string): boolean {
  const lower = text.toLowerCase();
  return searchWords(search).every((word) => {
    const pattern = [...word]
      .map((c) => (c === "_" ? "." : c === "%" ? ".*" : c.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")))
      .join("");
    return new RegExp(pattern, "su").test(lower);
  });
}
