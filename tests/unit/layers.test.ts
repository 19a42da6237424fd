import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import boundaries of eslint.config.mjs at work: a backward import (a lower layer reaching up)
 * and production code reaching into dev/ fail lint, while the imports the layers allow pass.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith("boundaries/")).map((m) => m.message);
}

const cases: { from: string; imports: string; allowed: boolean }[] = [
  // Backward: each fails.
  { from: "src/server/scheduler/probe.ts", imports: "@/server/services/users", allowed: false },
  { from: "src/server/services/probe.ts", imports: "@/server/api/root", allowed: false },
  { from: "src/server/integrations/probe.ts", imports: "@/server/scheduler/engine", allowed: false },
  { from: "src/server/config/probe.ts", imports: "@/server/db", allowed: false },
  { from: "src/lib/probe.ts", imports: "@/server/config/env", allowed: false },
  { from: "src/components/probe.tsx", imports: "@/server/services/dashboard", allowed: false },
  { from: "src/server/services/probe.ts", imports: "@/demo/seed", allowed: false },
  { from: "src/server/services/probe.ts", imports: "../../../dev/provider/tokens", allowed: false },
  { from: "src/server/runtime/probe.ts", imports: "../../../dev/provider/server", allowed: false },
  // Downward: each passes.
  { from: "src/server/api/probe.ts", imports: "@/server/services/users", allowed: true },
  { from: "src/server/services/probe.ts", imports: "@/server/scheduler/engine", allowed: true },
  { from: "src/server/runtime/probe.ts", imports: "@/demo/seed", allowed: true },
  { from: "src/demo/probe.ts", imports: "../../dev/provider/tokens", allowed: true },
  { from: "src/components/probe.tsx", imports: "@/trpc/react", allowed: true },
  { from: "src/server/config/probe.ts", imports: "@/lib/task-kinds", allowed: true },
];

describe("layers (eslint-plugin-boundaries)", () => {
  for (const { from, imports, allowed } of cases)
    it(`${allowed ? "allows" : "refuses"} ${from} → ${imports}`, { timeout: 60_000 }, async () => {
      const errors = await boundaryErrors(from, `import * as probe from "${imports}";\nexport const used = probe;\n`);
      if (allowed) expect(errors).toEqual([]);
      else expect(errors.join("\n")).toMatch(/no policy allowing dependencies/);
    });
});
