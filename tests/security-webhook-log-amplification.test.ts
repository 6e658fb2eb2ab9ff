// An attacker posts unsigned Zalo events naming an OA Pano does not know. Each one is still
// acknowledged (Zalo's contract), but its 900 KB OA id does not land in the log whole, and an
// address that keeps doing it is told to back off with 429; the shop's own, signed OA keeps flowing.
import { afterAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { userSends, signedHeaders, newUserId } from "./sim/zalo-events.ts";

let world: ZaloWorld | undefined;
afterAll(async () => void (await world?.stop()));

test("a 900 KB unknown OA id logs a short line, and a flood of unsigned unknown-OA events hits 429 while the signed OA still gets in", async () => {
  world = await startZaloWorld();
  const { pano, config } = world;
  const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${pano.url}/webhooks/zalo`, { method: "POST", headers, body });

  const hugeOa = `9${"8".repeat(900 * 1024)}`;
  const forged = (n: number, oaId: string) =>
    JSON.stringify(userSends({ appId: "forged-app", oaId }, "text", "4000000000000000001", { text: `rác ${n}` }));

  const first = await post(forged(0, hugeOa));
  expect(first.status).toBe(200);
  const line = await eventually(() => pano.logs().split("\n").find((l) => l.includes("webhook for unknown channel")), 3000, "the unknown-OA log line");
  expect(line.length).toBeLessThan(400);
  expect(JSON.parse(line).key).toBe(`${hugeOa.slice(0, 64)}…`);
  expect(pano.logs().length).toBeLessThan(100_000);

  // Unsigned events for unknown OAs count like forged ones: the same address is throttled.
  const statuses: number[] = [];
  for (let i = 1; i < 36; i++) statuses.push((await post(forged(i, `55500${i}`))).status);
  expect(statuses.slice(0, 29).every((s) => s === 200)).toBe(true);
  expect(statuses.slice(29).every((s) => s === 429)).toBe(true);
  const throttled = await post(forged(99, "555099"));
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get("retry-after")).toBe("60");
  expect((await throttled.json()).error.code).toBe("rate_limited");

  // The shop's OA, correctly signed, from the same address.
  const userId = newUserId();
  const real = userSends({ appId: config.app_id, oaId: config.oa_id }, "text", userId, { text: "Shop ơi áo này còn size M không?" });
  const raw = JSON.stringify(real);
  expect((await post(raw, signedHeaders(real, raw, config.oa_secret_key))).status).toBe(200);
  const conv = await world.conversationOf(userId);
  expect((await world.messagesOf(conv.id)).map((m: any) => m.text)).toEqual(["Shop ơi áo này còn size M không?"]);
});
