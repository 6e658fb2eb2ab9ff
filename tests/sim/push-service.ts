// A local stand-in for a browser vendor's push service (RFC 8030), written from the standards
// alone (node:crypto and WebCrypto, not the web-push library that Pano sends with):
// - each subscription is a device's P-256 key pair and 16-byte auth secret, as a browser makes them;
// - every POST must carry a VAPID JWT (RFC 8292: "vapid t=<jwt>, k=<key>") whose ES256 signature
//   verifies with k, whose aud is this service's origin, exp within 24 h, sub mailto:/https:;
// - the body is decrypted per RFC 8291 (aes128gcm, RFC 8188) with the subscription's private key.
// A subscription can be made to answer 404 or 410 (gone) or to hang without ever answering.
import { createECDH, createDecipheriv, createHmac, randomBytes } from "node:crypto";

export type PushMode = "ok" | "gone" | "not_found" | "hang";

export interface DeviceSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  device: string;
  payload: unknown;
  ttl: string | null;
  urgency: string | null;
  jwt: { aud: string; exp: number; sub: string };
}

interface Device {
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
  mode: PushMode;
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const hmac = (key: Uint8Array, data: Uint8Array) => createHmac("sha256", key).update(data).digest();

/** RFC 8291 §3.4 and RFC 8188 §2: one record, padded with a 0x02 delimiter. */
export function decryptAes128gcm(body: Buffer, device: { ecdh: ReturnType<typeof createECDH>; auth: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (idlen !== 65 || asPublic[0] !== 4) throw new Error("keyid is not the application server's uncompressed P-256 key");
  if (records.length > rs) throw new Error("more than one record");
  const uaPublic = device.ecdh.getPublicKey();
  const ecdhSecret = device.ecdh.computeSecret(asPublic);
  const prkKey = hmac(device.auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const plain = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error("the last record's padding delimiter is not 0x02");
  return plain.subarray(0, end);
}

/** RFC 8292: Authorization: vapid t=<JWT>, k=<public key>; the JWT signed ES256 with that key. */
export async function checkVapid(header: string | null, origin: string, now = Date.now()): Promise<{ aud: string; exp: number; sub: string }> {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`not a vapid Authorization header: ${header}`);
  const [h, p, s] = m[1]!.split(".") as [string, string, string];
  const head = JSON.parse(Buffer.from(h, "base64url").toString());
  if (head.alg !== "ES256" || head.typ !== "JWT") throw new Error(`JWT header ${JSON.stringify(head)}`);
  const key = await crypto.subtle.importKey("raw", Buffer.from(m[2]!, "base64url"), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, Buffer.from(s, "base64url"), new TextEncoder().encode(`${h}.${p}`));
  if (!ok) throw new Error("the VAPID JWT's signature does not verify with k");
  const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { aud: string; exp: number; sub: string };
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  if (!(claims.exp * 1000 > now && claims.exp * 1000 <= now + 24 * 3600_000 + 60_000)) throw new Error(`exp ${claims.exp} not within 24 h`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? "")) throw new Error(`sub ${claims.sub} is not mailto: or https:`);
  return claims;
}

export class PushService {
  private devices = new Map<string, Device>();
  readonly received: ReceivedPush[] = [];
  /** Requests refused, with the reason (a bad signature, a payload that does not decrypt). */
  readonly refused: string[] = [];
  /** Requests to a hanging device, never answered. */
  hanging = 0;
  private server: ReturnType<typeof Bun.serve>;
  private held: (() => void)[] = [];

  constructor() {
    this.server = Bun.serve({ port: 0, hostname: "127.0.0.1", idleTimeout: 0, fetch: (req) => this.handle(req) });
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  /** A device subscribes, as PushManager.subscribe() would: its endpoint and public keys. */
  subscribe(name: string, mode: PushMode = "ok"): DeviceSubscription {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const device: Device = { ecdh, auth: randomBytes(16), mode };
    this.devices.set(name, device);
    return { endpoint: `${this.url}/push/${name}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(device.auth) } };
  }

  pushesTo(name: string): ReceivedPush[] {
    return this.received.filter((r) => r.device === name);
  }

  private async handle(req: Request): Promise<Response> {
    const name = /^\/push\/([\w-]+)$/.exec(new URL(req.url).pathname)?.[1];
    const device = name ? this.devices.get(name) : undefined;
    if (req.method !== "POST" || !device || !name) return new Response("no such subscription", { status: 404 });
    if (device.mode === "hang") {
      this.hanging++;
      return new Promise<Response>((resolve) => this.held.push(() => resolve(new Response(null, { status: 201 }))));
    }
    if (device.mode === "gone") return new Response("unsubscribed", { status: 410 });
    if (device.mode === "not_found") return new Response("expired", { status: 404 });
    try {
      const jwt = await checkVapid(req.headers.get("authorization"), this.url);
      if (req.headers.get("content-encoding") !== "aes128gcm") throw new Error(`content-encoding ${req.headers.get("content-encoding")}`);
      if (!req.headers.get("ttl")) throw new Error("no TTL header");
      const plain = decryptAes128gcm(Buffer.from(await req.arrayBuffer()), device);
      this.received.push({ device: name, payload: JSON.parse(plain.toString("utf8")), ttl: req.headers.get("ttl"), urgency: req.headers.get("urgency"), jwt });
      return new Response(null, { status: 201, headers: { location: `${this.url}/message/${this.received.length}` } });
    } catch (err) {
      this.refused.push(String((err as Error).message ?? err));
      return new Response(String(err), { status: 400 });
    }
  }

  stop(): void {
    for (const release of this.held.splice(0)) release();
    this.server.stop(true);
  }
}
