// `pano healthcheck`: the Docker HEALTHCHECK. The image has no shell or curl, so the executable
// asks its own /healthz.
import { parseFlags } from "../cli.ts";
import { loadConfig } from "../config.ts";

export const healthcheckUsage = `Usage: pano healthcheck\n  Exits 0 when the server on $PORT answers /healthz with 200, 1 otherwise.`;

export async function healthcheckCommand(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, { help: "boolean" });
  if (flags.help) return console.log(healthcheckUsage), 0;
  const { port } = loadConfig();
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
    if (r.ok) return 0;
    console.error(`pano healthcheck: /healthz answered ${r.status}`);
  } catch (err) {
    console.error(`pano healthcheck: ${String((err as Error).message ?? err)}`);
  }
  return 1;
}
