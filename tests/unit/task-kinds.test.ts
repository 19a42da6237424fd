import { describe, expect, it } from "vitest";
import { TaskType } from "@/generated/sqlite/enums";
import { ALL_TASK_TYPES, TASK_KINDS, TYPE_LABELS, typesIn, VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { TASK_TYPE_VALUES } from "@/lib/validation/dashboard";
import { FREQUENCY_MINUTES } from "@/server/services/provisioning";
import { DEFAULT_SCHEDULE_SETTINGS, TASK_RUNTIME } from "@/server/scheduler/task-kinds";

describe("the task-kind catalogue", () => {
  it("has an entry, in both parts, for every TaskType of the Prisma schema, and nothing else", () => {
    const prisma = Object.values(TaskType).sort();
    expect([...ALL_TASK_TYPES].sort()).toEqual(prisma);
    expect(Object.keys(TASK_KINDS).sort()).toEqual(prisma);
    expect(Object.keys(TASK_RUNTIME).sort()).toEqual(prisma);
  });

  it("derives every list from the catalogue: what people see, the API's enum, labels, categories, defaults", () => {
    expect(VISIBLE_TASK_TYPES).toEqual(ALL_TASK_TYPES.filter((type) => !type.startsWith("SYSTEM_")));
    expect(TASK_TYPE_VALUES).toBe(VISIBLE_TASK_TYPES);
    expect(typesIn("insights")).toEqual(["GSC_INSIGHTS", "BING_INSIGHTS"]);
    expect(new Set(Object.values(TYPE_LABELS)).size).toBe(ALL_TASK_TYPES.length); // no two kinds look alike
    expect(Object.keys(FREQUENCY_MINUTES).sort()).toEqual([...VISIBLE_TASK_TYPES].sort());
    expect(FREQUENCY_MINUTES.OAUTH_TOKEN_MONITORING).toBe(DEFAULT_SCHEDULE_SETTINGS.tokenCheckMinutes);
    const restTypes = ALL_TASK_TYPES.map((type) => TASK_RUNTIME[type].rest.type);
    expect(new Set(restTypes).size).toBe(restTypes.length);
    expect(TASK_RUNTIME.WEBSITE_ANALYSIS.dedupeKey("https://a.example/")).toBe("WEBSITE_ANALYSIS:https://a.example/");
  });
});
