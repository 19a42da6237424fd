import { describe, expect, it } from "vitest";
import { databaseTrouble, describeDatabaseError } from "@/server/db-errors";

describe("telling a database that cannot serve from a bug", () => {
  it.each([
    ["Invalid `prisma.task.update()` invocation:\n\n\ncannot execute UPDATE in a read-only transaction", "read-only"],
    ["attempt to write a readonly database", "read-only"],
    ["database or disk is full", "out of space"],
    ['could not extend file "base/16384/2619": No space left on device', "out of space"],
    ["disk I/O error", "disk error"],
    ["Can't reach database server at 127.0.0.1:5432", "unreachable"],
    ["terminating connection due to administrator command", "unreachable"],
    ["the database system is starting up", "unreachable"],
  ] as const)("%s → %s", (message, trouble) => {
    expect(databaseTrouble(new Error(message))).toBe(trouble);
  });

  it("finds the trouble in a wrapped cause and its driver code", () => {
    const error = Object.assign(new Error("Transaction failed"), {
      cause: Object.assign(new Error("write failed"), { code: "SQLITE_FULL" }),
    });
    expect(databaseTrouble(error)).toBe("out of space");
  });

  it("leaves ordinary errors alone", () => {
    for (const message of [
      "Unique constraint failed on the fields: (`email`)",
      "Cannot read properties of undefined (reading 'id')",
      "Record to update not found.",
    ]) {
      expect(databaseTrouble(new Error(message))).toBeNull();
    }
  });

  it("describes it in one line, without the driver's preamble", () => {
    expect(
      describeDatabaseError(
        new Error(
          "Invalid `prisma.healthProbe.upsert()` invocation:\n\n\ncannot execute INSERT in a read-only transaction",
        ),
      ),
    ).toBe("read-only: the database accepts no writes (cannot execute INSERT in a read-only transaction)");
  });
});
