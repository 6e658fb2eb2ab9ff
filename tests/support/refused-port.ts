// A TCP port where nothing listens and, while it is held, nothing can: the local end of a
// connection this process keeps open. Connecting there is refused and binding it fails
// (EADDRINUSE). A port merely found free a moment ago promises neither: anyone may take it.
import { connect, createServer, type Socket } from "node:net";

export async function refusedPort(): Promise<{ port: number; close(): void }> {
  const peers: Socket[] = [];
  const server = createServer((s) => void peers.push(s.on("error", () => {})));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const held = connect((server.address() as { port: number }).port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => held.once("connect", resolve).once("error", reject));
  held.on("error", () => {});
  return {
    port: held.localPort!,
    close() {
      held.destroy();
      for (const p of peers) p.destroy();
      server.close();
    },
  };
}
