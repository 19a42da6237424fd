/**
 * Whether the live stream (`live.events`) is up in this browser tab: the pages poll slowly while it is
 * (the events tell them what changed) and at their own pace while it is not.
 */
let connected = false;
let everConnected = false;
const listeners = new Set<() => void>();

export function liveConnected(): boolean {
  return connected;
}

export function setLiveConnected(value: boolean) {
  if (value === connected) return;
  connected = value;
  everConnected ||= value;
  for (const listener of listeners) listener();
}

export function subscribeLiveStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For people: "live", or "connecting" (never up yet in this tab), or "reconnecting" (it was up). */
export function liveState(): "live" | "connecting" | "reconnecting" {
  return connected ? "live" : everConnected ? "reconnecting" : "connecting";
}
