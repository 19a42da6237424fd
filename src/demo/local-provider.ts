import { startLocalProvider } from "../../dev/provider/server";
import { demoMailSinkUrl } from "@/server/config/alert-settings";

/**
 * The demo's stand-in for the platforms (dev/provider): their OAuth and APIs, and the sample
 * websites. Only the demo, development and tests load this module (the start-up wiring imports it
 * when LOCAL_PROVIDER says so); production code never does.
 */
export async function startDemoProvider(port: number): Promise<{ url: string }> {
  // The mail sink beside it: the demo's alert e-mails arrive there (alertDeliverySettings sends them there).
  const mailSinkPort = Number(new URL(demoMailSinkUrl(`http://127.0.0.1:${port}`)).port);
  const provider = await startLocalProvider({ port, anySite: true, mailSinkPort });
  return { url: provider.url };
}
