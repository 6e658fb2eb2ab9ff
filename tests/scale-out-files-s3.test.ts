// Two Pano instances on one PostgreSQL database with S3 settings, each with a data dir of its own:
// a photo an agent sends through one instance is kept in the bucket, and the other instance (whose
// data dir never saw it) serves it byte for byte, as a provider fetching the reply's file would
// reach whichever instance the load balancer picks (docs/scale-out-state.md, Files).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { loadConfig } from "../src/config.ts";
import { filesAtHand, shareFilesThrough } from "../src/store/files.ts";
import { replicaStore } from "../src/ops/replica-store.ts";
import { replicaTarget } from "../src/ops/replica-target.ts";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { startS3, type S3Server } from "./support/s3.ts";
import { eventually, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { startReceiver } from "./support/receiver.ts";

let cluster: PostgresCluster;
let s3: S3Server;
const running: PanoProcess[] = [];

beforeAll(async () => {
  [cluster, s3] = await Promise.all([startPostgres(), startS3()]);
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await Promise.all([cluster?.stop(), s3?.stop()]);
});

const photo = new Uint8Array(Array.from({ length: 7000 }, (_, i) => (i * 17 + 3) % 256));

test("a photo sent through one instance is kept in S3 and served by the other", async () => {
  const url = await cluster.createDatabase();
  const env = { PANO_DATABASE_URL: url, PANO_RETRY_BASE_MS: "50", ...s3.env("chuoi-hoa-mai") };
  const a = await startPano({ env });
  running.push(a);
  const b = await startPano({ env });
  running.push(b);
  const rx = startReceiver();
  try {
    const ch = await a.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website", config: { callback_url: rx.url, callback_secret: "bi-mat-cua-shop" } } });
    const { conversation_id } = await a.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-7", external_message_id: "m-7", text: "Cho em xin ảnh mẫu áo" } });
    const body = new FormData();
    body.set("text", "Dạ ảnh mẫu áo ạ");
    body.append("files", new File([photo], "mau-ao.jpg", { type: "image/jpeg" }));
    const r = await a.api(`/api/v1/conversations/${conversation_id}/messages`, { method: "POST", body });
    expect(r.status).toBe(202);
    const reply = await r.json();
    const fileUrl: string = reply.attachments[0].url;
    const hash = fileUrl.split("/").pop()!;
    expect(hash).toMatch(/^[a-f0-9]{64}$/);

    // In the bucket under the replica's layout, and not in B's data dir yet.
    const key = join(s3.dir, s3.bucket, "chuoi-hoa-mai", "attachments", hash.slice(0, 2), hash);
    await eventually(() => existsSync(key) || existsSync(`${key}._S3rver_object`), 10_000, "the photo in the bucket");
    const inB = join(b.dataDir, "attachments", hash.slice(0, 2), hash);
    expect(existsSync(inB)).toBe(false);

    // A provider fetching the file reaches B: the same bytes, the same safe headers.
    const got = await fetch(`${b.url}/files/${hash}`);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(photo);
    expect(existsSync(inB)).toBe(true); // kept as B's copy from now on

    // A name nobody stored is still a 404 on B, with nothing fetched.
    expect((await fetch(`${b.url}/files/${"0".repeat(64)}`)).status).toBe(404);
    await eventually(async () => rx.received.some((m) => m.json?.text === "Dạ ảnh mẫu áo ạ"), 15_000, "the reply sent");

    // A channel that uploads the file itself (Zalo, email) reads it from the sending instance's data
    // dir: an instance that never had it fetches it from the bucket before the send.
    const third = tempDir();
    shareFilesThrough(third, replicaStore(replicaTarget(loadConfig({ ...s3.env("chuoi-hoa-mai") }))!));
    const rel = join("attachments", hash.slice(0, 2), hash);
    await filesAtHand(third, [join(third, rel)]);
    expect(new Uint8Array(readFileSync(join(third, rel)))).toEqual(photo);
    await expect(filesAtHand(third, [join(third, "attachments", "00", "0".repeat(64))])).rejects.toThrow("in neither the data dir nor the shared files");
    shareFilesThrough(third, null);
  } finally {
    rx.stop();
  }
});
