import packageJson from "../../../package.json";
import { ROUTES } from "./facade";

/** The OpenAPI 3.1 description of the REST facade, generated from its route table (so no path is missing). */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
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
        ...(route.access !== "public" ? { "401": { $ref: "#/components/responses/Error" } } : {}),
        ...(route.access === "admin" ? { "403": { $ref: "#/components/responses/Error" } } : {}),
        "404": { $ref: "#/components/responses/Error" },
        "422": { $ref: "#/components/responses/Error" },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Scheduler Dashboard — REST compatibility API",
      version: packageJson.version,
      description:
        "The original scheduler dashboard's REST paths, served from the same services as the tRPC API. Authenticate with a personal API token (Authorization: Bearer sdk_…, created on the API tokens page) or the session cookie. A {user_id} other than your own answers 404.",
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
      },
    },
  };
}
