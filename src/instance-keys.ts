// The keys an instance seals secrets and signs Web Push with. On SQLite (one instance) they are
// the data dir's, as always (PANO_SECRET_KEY, when set, seals instead of secret.key). On
// PostgreSQL every instance must use the same ones, whichever starts first and whatever its data
// dir holds: store/instance-keys.ts keeps them in the database. docs/scale-out-state.md.
import { ConfigError, type Config } from "./config.ts";
import type { Store } from "./store/db.ts";
import type { Writer } from "./store/writer.ts";
import type { Logger } from "./log.ts";
import { loadSealer, readKeyFile, type KeyRing } from "./store/secrets.ts";
import { SecretKeyMismatch, sharedSecretKey, sharedSealedValue } from "./store/instance-keys.ts";
import { resealWithCurrentKey } from "./store/reseal.ts";
import { loadVapidKeys, newVapidKeys, readVapidFile, type VapidKeys } from "./pipeline/web-push.ts";

export async function loadInstanceKeys(config: Config, store: Store, writer: Writer, log: Logger): Promise<{ sealer: KeyRing; vapid: VapidKeys }> {
  const onPostgres = store.kind === "postgres";
  const sealer = onPostgres ? await sharedSecretKey(store.sqlite, config.secretKey, readKeyFile(config.dataDir)).catch(asConfigError) : await loadSealer(config.dataDir, config.secretKey);
  const moved = await resealWithCurrentKey(store.sqlite, writer, sealer);
  if (moved) log("info", "secrets sealed again with the current key", { count: moved });
  const vapid = onPostgres
    ? (JSON.parse(await sharedSealedValue(store.sqlite, sealer, "vapid", () => JSON.stringify(readVapidFile(config.dataDir) ?? newVapidKeys()))) as VapidKeys)
    : loadVapidKeys(config.dataDir);
  return { sealer, vapid };
}

/** An instance given another key than the others is misconfigured: one line for the operator, no stack. */
function asConfigError(err: unknown): never {
  throw err instanceof SecretKeyMismatch ? new ConfigError(err.message) : err;
}
