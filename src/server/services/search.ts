import { Prisma } from "@/generated/sqlite/client";
import { engineOfDb, type Db } from "@/server/db";
import { SEARCH_MIN_RUN, searchWords } from "@/lib/search";
import type { Params } from "@/server/sql";
import { ownedBy, type Scope } from "./scope";

/**
 * Search (what src/lib/search.ts defines) over the text the database keeps in step with every write
 * (migration 0016: triggers on ExecutionLog and Task).
 *
 * Logs: the index gives the scope's matching log ids newest first (`matchingLogIds`), and the list's
 * own filter (`executionLogsWhere`, with `ownedBy`) is applied to each batch of them, so there is one
 * definition of the filter and one of the scope. SQLite answers an admin from an FTS5 trigram table
 * (MATCH, newest first) and a user by walking their own logs; PostgreSQL from pg_trgm and an index on
 * (userId, logId), the planner choosing, and the runs in progress (which have no search row there yet)
 * by their text computed on the spot.
 *
 * Jobs: a user has tens of tasks and an admin thousands, so Jobs filters on the task's `searchText`
 * with LIKE through Prisma; its page on PostgreSQL reads "TaskSearch" (migration 0020), which pg_trgm
 * indexes, through `taskSearchSql`.
 */

/** Jobs' search: every word over the task's search text (LIKE, so `_` and `%` are wildcards there too). */
export function taskSearchWhere(search: string | undefined): Prisma.TaskWhereInput {
  const words = searchWords(search);
  if (!words.length) return {};
  return { AND: words.map((word) => ({ searchText: { contains: word } })) };
}

/**
 * Jobs' search as SQL for the list's pages, the same words as `taskSearchWhere`: on PostgreSQL through
 * "TaskSearch" (the same text, indexed by pg_trgm, written only when it changes), on SQLite the column.
 */
export function taskSearchSql(p: Params, search: string | undefined, task = "t"): string[] {
  // As Prisma's `contains`: LIKE, so `_` and `%` are wildcards (the search text is lower case).
  return searchWords(search).map((word) =>
    p.engine === "postgres"
      ? `EXISTS (SELECT 1 FROM "TaskSearch" AS ts WHERE ts."taskId" = ${task}."id" AND ts."body" LIKE ${p.add(`%${word}%`)})`
      : `${task}."searchText" LIKE ${p.add(`%${word}%`)}`,
  );
}

/** An FTS5 phrase: the text in double quotes, its own quotes doubled. */
const phrase = (text: string) => `"${text.replaceAll('"', '""')}"`;
const hasWildcard = (word: string) => /[%_]/u.test(word);

/** `AND <body> LIKE '%word%'` per word (none for no words). */
function likeEach(words: string[], body = Prisma.sql`"body"`): Prisma.Sql {
  return words.length
    ? Prisma.join(
        words.map((word) => Prisma.sql`AND ${body} LIKE ${`%${word}%`}`),
        " ",
      )
    : Prisma.empty;
}

/**
 * The ids of the scope's logs whose text matches every word, below `below` (an id; null: from the
 * newest), newest first, at most `take`.
 */
export async function matchingLogIds(
  db: Db,
  scope: Scope,
  words: string[],
  below: number | null,
  take: number,
): Promise<number[]> {
  const owner = ownedBy(scope).userId;
  const rows =
    engineOfDb(db) === "postgres"
      ? // A finished run's text is in "ExecutionLogSearch" (migration 0020); a run in progress has no row
        // yet, and its text is computed on the spot: they are few (what the workers run at once).
        await db.$queryRaw<{ id: number }[]>`
          SELECT "id" FROM ((
            SELECT "logId" AS "id" FROM "ExecutionLogSearch"
            WHERE ${
              owner === undefined
                ? Prisma.sql`TRUE ${likeEach(words)}`
                : // A user's own rows: walked on (userId, logId). The planner would rather intersect with the
                  // trigram index, which reads everyone's matches; an expression it cannot index keeps it off.
                  Prisma.sql`"userId" = ${owner} ${likeEach(words, Prisma.sql`("body" || '')`)}`
            }
              ${below === null ? Prisma.empty : Prisma.sql`AND "logId" < ${below}`}
            -- Each part ordered and limited on its own, so each keeps its plan (the first an index walk
            -- newest first); merged in order after.
            ORDER BY "logId" DESC LIMIT ${take}
          ) UNION ALL (
            SELECT l."id" FROM "ExecutionLog" AS l
            WHERE l."status" = 'RUNNING'
              ${owner === undefined ? Prisma.empty : Prisma.sql`AND l."userId" = ${owner}`}
              ${below === null ? Prisma.empty : Prisma.sql`AND l."id" < ${below}`}
              AND NOT EXISTS (SELECT 1 FROM "ExecutionLogSearch" AS s WHERE s."logId" = l."id")
              ${likeEach(words, Prisma.sql`coalesce("execution_log_search_body"(l), '')`)}
            ORDER BY l."id" DESC LIMIT ${take}
          )) AS m
          ORDER BY "id" DESC LIMIT ${take}`
      : owner === undefined
        ? // rowid is minus the log's id (migration 0016): ascending is newest first, read lazily.
          await db.$queryRaw<{ id: number | bigint }[]>`
            SELECT -rowid AS "id" FROM "ExecutionLogSearch"
            WHERE "ExecutionLogSearch" MATCH ${ftsQuery(words)}
              ${likeEach(words.filter(hasWildcard))}
              ${below === null ? Prisma.empty : Prisma.sql`AND rowid > ${-below}`}
            ORDER BY rowid ASC LIMIT ${take}`
        : // A user's own logs are few next to everyone's: walk them (userId index), each text read by rowid.
          // `+` keeps LIKE from being handed to the index, which would search everyone's logs.
          await db.$queryRaw<{ id: number | bigint }[]>`
            SELECT l."id" AS "id" FROM "ExecutionLog" AS l CROSS JOIN "ExecutionLogSearch" AS s ON s.rowid = -l."id"
            WHERE l."userId" = ${owner}
              ${likeEach(words, Prisma.sql`+s."body"`)}
              ${below === null ? Prisma.empty : Prisma.sql`AND l."id" < ${below}`}
            ORDER BY l."id" DESC LIMIT ${take}`;
  return rows.map((r) => Number(r.id));
}

/**
 * The FTS5 query of a search: per word, its runs between wildcards that the trigram index can look up
 * (3+ characters, which every word has); a word with wildcards is then checked whole with LIKE.
 */
function ftsQuery(words: string[]): string {
  return words
    .flatMap((word) =>
      word
        .split(/[%_]/u)
        .filter((run) => run.length >= SEARCH_MIN_RUN)
        .map(phrase),
    )
    .join(" AND ");
}

/** Matches already read from the index, newest first (the first page's count read them); `complete`: there are no more. */
export interface KnownMatches {
  ids: number[];
  complete: boolean;
}

/** Candidate ids read per step: small first (a common word fills a page at once), larger as a search goes on. */
const BATCHES = [200, 1_000, 5_000];
/** The most candidates one page looks at: past this, the page ends early and says where to go on. */
export const SEARCH_SCAN_LIMIT = 20_000;

/**
 * The scope's matching log ids below `below`, newest first, in batches of the given sizes (the last
 * size repeats): the `known` ones first, then from the index.
 */
export async function* matchingLogIdBatches(
  db: Db,
  scope: Scope,
  search: string,
  below: number | null,
  { sizes = BATCHES, known }: { sizes?: readonly number[]; known?: KnownMatches } = {},
): AsyncGenerator<number[]> {
  const words = searchWords(search);
  const size = (step: number) => Math.max(1, sizes[Math.min(step, sizes.length - 1)]!);
  let step = 0;
  let lastId = below;
  if (known) {
    for (let i = 0; i < known.ids.length;) {
      const ids = known.ids.slice(i, i + size(step++));
      i += ids.length;
      yield ids;
    }
    if (known.complete) return;
    lastId = known.ids.at(-1) ?? below;
  }
  for (;;) {
    const take = size(step++);
    const ids = await matchingLogIds(db, scope, words, lastId, take);
    if (ids.length) yield ids;
    if (ids.length < take) return;
    lastId = ids.at(-1)!;
  }
}

/**
 * Hands the scope's matching log ids, newest first, batch by batch to `each` until it says stop or
 * about `limit` were looked at. Returns the last id looked at and whether there were no more.
 */
export async function walkMatchingLogIds(
  db: Db,
  scope: Scope,
  search: string,
  below: number | null,
  limit: number,
  each: (ids: number[]) => Promise<boolean>,
  known?: KnownMatches,
): Promise<{ lastId: number | null; exhausted: boolean }> {
  let lastId = below;
  let scanned = 0;
  for await (const ids of matchingLogIdBatches(db, scope, search, below, { known })) {
    scanned += ids.length;
    lastId = ids.at(-1)!;
    if (!(await each(ids)) || scanned >= limit) return { lastId, exhausted: false };
  }
  return { lastId, exhausted: true };
}
