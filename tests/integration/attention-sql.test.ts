/**
 * `attentionCount` (src/server/services/attention.ts) counts what needs a person in one statement. Over
 * random connections (every status) and tasks (every type and status, with or without a connection)
 * for four users, on both engines, it must count exactly the rows of the Prisma filters that define
 * "needs attention" (`connectionsNeedingAttention`, `tasksNeedingAttention`), which Intervention lists,
 * and per platform (a platform's health).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionStatus, Platform, TaskStatus, TaskType } from "@/generated/sqlite/enums";
import { ALL_TASK_TYPES } from "@/lib/task-kinds";
import {
  attentionCount,
  attentionItems,
  connectionsNeedingAttention,
  tasksNeedingAttention,
} from "@/server/services/attention";
import type { Scope } from "@/server/services/scope";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const CONNECTION_STATUSES: ConnectionStatus[] = [
  "CONNECTED",
  "EXPIRING",
  "EXPIRED",
  "REVOKED",
  "ERROR",
  "DISCONNECTED",
];
const PLATFORMS: Platform[] = ["GSC", "BING", "WORDPRESS", "WIX"];
const TASK_STATUSES: TaskStatus[] = ["ACTIVE", "PAUSED", "NEEDS_INTERVENTION", "FAILED", "ENDED"];

describe.each(testEngines())("the attention count in one statement on %s", (engine) => {
  let t: TestDatabase;
  const scopes: Scope[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const r = prng(19);
    for (let u = 0; u < 4; u++) {
      const user = await createTestUser(t.db, u === 0 ? "ADMIN" : "USER");
      scopes.push({ userId: user.id, role: u === 0 ? "ADMIN" : "USER" });
      const connections: string[] = [];
      for (const platform of PLATFORMS)
        if (r.chance(0.8))
          connections.push(
            (
              await t.db.platformConnection.create({
                data: { userId: user.id, platform, status: r.pick(CONNECTION_STATUSES) },
              })
            ).id,
          );
      for (let i = 0; i < 40; i++) {
        const type: TaskType = r.pick(ALL_TASK_TYPES);
        await t.db.task.create({
          data: {
            userId: user.id,
            type,
            dedupeKey: `attention:${i}`,
            frequencyMinutes: 60,
            status: r.pick(TASK_STATUSES),
            platform: r.chance(0.8) ? r.pick(PLATFORMS) : null,
            connectionId: connections.length && r.chance(0.6) ? r.pick(connections) : null,
          },
        });
      }
    }
  });
  afterAll(async () => {
    await t.drop();
  });

  it("counts what the Prisma filters find, for each user and for the admin", async () => {
    let seen = 0;
    for (const scope of [...scopes, { ...scopes[1]!, role: "VIEWER" as const }]) {
      const [connections, tasks] = await Promise.all([
        t.db.platformConnection.count({ where: connectionsNeedingAttention(scope) }),
        t.db.task.count({ where: tasksNeedingAttention(scope) }),
      ]);
      expect(await attentionCount(t.db, scope)).toEqual({ total: connections + tasks, connections, tasks });
      seen += connections + tasks;
    }
    expect(seen).toBeGreaterThan(10); // the data set has something to count
  });

  it("counts one platform's share as the Prisma filters narrowed to it do (a platform's health)", async () => {
    for (const scope of scopes)
      for (const platform of PLATFORMS) {
        const [connections, tasks] = await Promise.all([
          t.db.platformConnection.count({ where: { ...connectionsNeedingAttention(scope), platform } }),
          t.db.task.count({ where: { ...tasksNeedingAttention(scope), platform } }),
        ]);
        expect(await attentionCount(t.db, scope, platform)).toEqual({ total: connections + tasks, connections, tasks });
      }
  });

  it("agrees with the Intervention list it counts", async () => {
    for (const scope of scopes) {
      const items = await attentionItems(t.db, scope);
      const count = await attentionCount(t.db, scope);
      expect(count.connections).toBe(items.connections.length);
      expect(count.tasks).toBe(items.tasks.length);
    }
  });
});
