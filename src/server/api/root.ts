import { features } from "@/server/config/env";
import { alertsRouter } from "./routers/alerts";
import { dashboardRouter } from "./routers/dashboard";
import { liveRouter } from "./routers/live";
import { monitoringRouter } from "./routers/monitoring";
import { platformRouter } from "./routers/platform";
import { systemRouter } from "./routers/system";
import { tasksRouter } from "./routers/tasks";
import { viewsRouter } from "./routers/views";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** Every sub-router; the type clients are written against. */
const allRouters = {
  dashboard: dashboardRouter,
  monitoring: monitoringRouter,
  tasks: tasksRouter,
  platform: platformRouter,
  system: systemRouter,
  alerts: alertsRouter,
  views: viewsRouter,
  live: liveRouter,
};

export const appRouter = createTRPCRouter(allRouters);
export type AppRouter = typeof appRouter;

/**
 * The router actually served: a feature switched off in env (SCHEDULER_ENABLE_*) is not mounted, so its
 * procedures answer NOT_FOUND. `system`, `alerts`, `live` and `views` are always on.
 */
export function servedRouter(enabled = features()): AppRouter {
  if (Object.values(enabled).every(Boolean)) return appRouter;
  const mounted = Object.fromEntries(
    Object.entries(allRouters).filter(([name]) => enabled[name as keyof typeof enabled] !== false),
  ) as unknown as typeof allRouters;
  return createTRPCRouter(mounted);
}

export const createCaller = createCallerFactory(appRouter);
