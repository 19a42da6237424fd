export const dynamic = "force-dynamic";

/**
 * Liveness without touching the database: answers as long as the process serves requests. The
 * benchmark also uses it as the web floor (the cheapest request this server can answer).
 */
export function GET() {
  return Response.json({ ok: true });
}
