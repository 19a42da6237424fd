import { keyringFrom } from "@/server/crypto";
import { env } from "@/server/config/env";

/** The token keyring (current key and the old ones still read), from the validated environment. */
export function tokenKeyring() {
  const e = env();
  return keyringFrom(e.TOKEN_ENCRYPTION_KEY, e.TOKEN_ENCRYPTION_OLD_KEYS);
}
