import { features, type Env } from "@/server/config/env";
import type { RestRoute } from "./http";
import { dashboardRoutes } from "./routes/dashboard";
import { monitoringRoutes } from "./routes/monitoring";
import { platformRoutes } from "./routes/platform";
import { systemRoutes } from "./routes/system";
import { tasksRoutes } from "./routes/tasks";

/**
 * The route table of `/api/scheduler/*`: every path of the original's two versions (and the website
 * analysis logs only its first had), by area. The OpenAPI document, the authorization matrix and the
 * README's path list are checked against it.
 */
export const ROUTES: readonly RestRoute[] = [
  ...dashboardRoutes,
  ...monitoringRoutes,
  ...tasksRoutes,
  ...platformRoutes,
  ...systemRoutes,
];

export type Match =
  | { kind: "route"; route: RestRoute; params: Record<string, string> }
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "not-found" }
  | { kind: "bad-path" };

/** The path's segments, each percent-decoded (null: an encoding that does not decode). */
function segments(path: string): string[] | null {
  try {
    return path
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function params(template: string, got: string[]): Record<string, string> | null {
  const want = template.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const found: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith("{") && w.endsWith("}")) found[w.slice(1, -1)] = got[i]!;
    else if (w !== got[i]) return null;
  }
  return found;
}

/**
 * The route serving `method path` among those the instance mounts (a feature switched off is not
 * there): a known path with another method is 405, an unknown one 404, a malformed one 400.
 */
export function matchRoute(method: string, path: string, env: Env, routes: readonly RestRoute[] = ROUTES): Match {
  const got = segments(path);
  if (!got) return { kind: "bad-path" };
  const enabled = features(env);
  const allow: string[] = [];
  for (const route of routes) {
    if (route.feature && !enabled[route.feature]) continue;
    const found = params(route.path, got);
    if (!found) continue;
    if (route.method === method) return { kind: "route", route, params: found };
    allow.push(route.method);
  }
  return allow.length ? { kind: "method-not-allowed", allow } : { kind: "not-found" };
}
