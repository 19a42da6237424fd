/**
 * Raw SQL that runs on both engines: parameters collected in order, written as `?` for SQLite and
 * `$n::type` for PostgreSQL, with dates in the format each engine's Prisma client stores.
 */
import type { Prisma } from "@/generated/sqlite/client";
import type { DbEngine } from "@/server/db";

/** Collects parameters and writes the engine's placeholder for each (with a cast on PostgreSQL). */
export class Params {
  readonly values: unknown[] = [];
  constructor(readonly engine: DbEngine) {}

  add(value: unknown, pgType?: string): string {
    this.values.push(value instanceof Date ? this.date(value) : value);
    return this.engine === "postgres" ? `$${this.values.length}${pgType ? `::${pgType}` : ""}` : "?";
  }

  /** SQLite keeps Prisma's DateTime as ISO text with +00:00; PostgreSQL parses the ISO string. */
  private date(d: Date) {
    return this.engine === "postgres" ? d.toISOString() : d.toISOString().replace("Z", "+00:00");
  }

  /** An enum literal (PostgreSQL needs the type where it cannot infer it, as in CASE). */
  enumLiteral(value: string, type: string) {
    return this.engine === "postgres" ? `'${value}'::"${type}"` : `'${value}'`;
  }

  /**
   * Rows as a table expression, for `WITH v(columns) AS (…)`: VALUES on SQLite; on PostgreSQL one
   * JSON parameter read by jsonb_to_recordset, so that a batch of 500 rows is a statement of one
   * parameter with one cached plan (a VALUES list of 6,500 parameters cost PostgreSQL as much to
   * parse and bind as to execute, and Prisma's query compiler as much again to pass through).
   * `types` are the columns' PostgreSQL types; a "jsonb" column takes the value itself.
   */
  rowSet(types: string[], rows: unknown[][]): string {
    if (this.engine === "postgres") {
      const records = rows.map((row) =>
        Object.fromEntries(row.map((value, i) => [`c${i}`, value instanceof Date ? this.date(value) : value])),
      );
      const columns = types.map((type, i) => `"c${i}" ${type}`).join(", ");
      return `SELECT * FROM jsonb_to_recordset(${this.add(JSON.stringify(records), "jsonb")}) AS r(${columns})`;
    }
    const sqlite = (value: unknown, i: number) =>
      types[i] === "jsonb" && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null);
    return `VALUES ${rows.map((row) => `(${row.map((value, i) => this.add(sqlite(value, i))).join(", ")})`).join(", ")}`;
  }

  /** `column IN (…)` (or NOT IN) for a list of text values. SQLite's placeholders are positional, so add parameters in the order the SQL reads. */
  inList(column: string, values: string[], not = false) {
    if (this.engine === "postgres") return `${not ? "NOT " : ""}(${column}::text = ANY(${this.add(values, "text[]")}))`;
    return `${column} ${not ? "NOT IN" : "IN"} (${values.map((v) => this.add(v)).join(", ")})`;
  }
}

/** A date column as a raw statement returns it: a Date on PostgreSQL, ISO text on SQLite. */
export const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
export const asDateOrNull = (v: Date | string | null) => (v === null ? null : asDate(v));

/** A nullable integer column as a raw statement returns it (PostgreSQL's counts and BIGINTs as bigint). */
export const numberOrNull = (v: number | bigint | null) => (v === null ? null : Number(v));

/** A JSON column as a raw statement returns it: parsed on PostgreSQL, text on SQLite. */
export function parsedJson(value: unknown): Prisma.JsonValue | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? (JSON.parse(value) as Prisma.JsonValue) : (value as Prisma.JsonValue);
}
