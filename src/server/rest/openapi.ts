import packageJson from "../../../package.json";
import { ROUTES } from "./router";

const ERROR = { $ref: "#/components/responses/Error" };

/** The OpenAPI 3.1 description of the REST facade, generated from its route table (so no path is missing). */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      ...(m[1] === "user_id" ? { description: "Your own user id (another one answers 404)" } : {}),
      schema: { type: "string" },
    }));
    const query = Object.entries(route.query ?? {}).map(([name, description]) => ({
      name,
      in: "query",
      required: false,
      description,
      schema: { type: "string" },
    }));
    const key = `/api/scheduler${route.path}`;
    paths[key] ??= {};
    paths[key][route.method.toLowerCase()] = {
      summary: route.summary,
      description: [route.description, `Calls the tRPC procedures ${route.procedures.join(", ")}.`]
        .filter(Boolean)
        .join("\n\n"),
      tags: [route.feature ?? "system"],
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, "").replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(route.method === "POST"
        ? { requestBody: { required: false, content: { "application/json": { schema: { type: "object" } } } } }
        : {}),
      security: route.access === "public" ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
      responses: {
        "200": {
          description: "The original API's JSON shape",
          content: { "application/json": { schema: { type: "object" } } },
        },
        ...(route.path.includes("manual-trigger") ? { "400": ERROR } : {}),
        ...(route.access !== "public" ? { "401": ERROR } : {}),
        ...(route.access === "admin" || route.method === "POST" ? { "403": ERROR } : {}),
        "404": ERROR,
        "405": ERROR,
        ...(route.method === "POST" && route.access !== "public" ? { "409": ERROR, "429": ERROR } : {}),
        "422": { $ref: "#/components/responses/ValidationError" },
        ...(route.path === "/health" ? { "503": { description: "Unhealthy: the same body as 200" } } : {}),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Scheduler Dashboard — REST compatibility API",
      version: packageJson.version,
      description: [
        "The original scheduler dashboard's REST paths (both of its versions), as thin adapters over the tRPC API's procedures: the same access rules, scoping and rate limit. Where the original's two versions answered one path with different models, the answer carries the fields of both.",
        "Authenticate with a personal API token (Authorization: Bearer sdk_…, created on the API tokens page) or the session cookie (a POST with the cookie must come from this site).",
        "Ids are strings (task ids are cuids), where the original had integers. A {user_id} or task id that is not yours answers 404 exactly like one that does not exist, so ids cannot be enumerated (the original answered 403). A read-only viewer's POST is 403, an admin path 403 for others, too many changes 429.",
        "Errors are {detail: string}; a query, path or body value that does not validate is 422 with FastAPI's {detail: [{loc, msg, type}]}; a known path with another method 405, an unknown path 404.",
      ].join("\n\n"),
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A personal API token (sdk_…)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
      },
      responses: {
        Error: {
          description: "An error, as the original API reported it",
          content: {
            "application/json": {
              schema: { type: "object", properties: { detail: { type: "string" } }, required: ["detail"] },
            },
          },
        },
        ValidationError: {
          description: "A value that does not validate, as FastAPI reported it",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["detail"],
                properties: {
                  detail: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["loc", "msg", "type"],
                      properties: {
                        loc: { type: "array", items: { type: ["string", "integer"] } },
                        msg: { type: "string" },
                        type: { type: "string" },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
