// Work that must happen before the database opens (e.g. restoring an empty data dir from the
// replica). Operations features plug in here.
import type { Config } from "../config.ts";

export async function beforeServe(_config: Config): Promise<void> {}
