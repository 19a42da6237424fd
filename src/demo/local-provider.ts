import { startLocalProvider } from "../../dev/provider/server";

/**
 * The demo's stand-in for the platforms (dev/provider): their OAuth and APIs, and the sample
 * websites. Only the demo, development and tests load this module (the start-up wiring imports it
 * when LOCAL_PROVIDER says so); production code never does.
 */
export async function startDemoProvider(port: number): Promise<{ url: string }> {
  const provider = await startLocalProvider({ port, anySite: true });
  return { url: provider.url };
}
