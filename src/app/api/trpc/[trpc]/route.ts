import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { servedRouter } from "@/server/api/root";
import { createHttpContext } from "@/server/api/http";
import { logger } from "@/server/logger";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: servedRouter(),
    createContext: createHttpContext,
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error.message }, "tRPC internal error");
    },
  });

export { handler as GET, handler as POST };
