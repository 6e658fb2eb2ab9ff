// Web Push: notifications to a phone or a closed browser through the push service each browser
// names (its subscription's endpoint). The web-push library signs the VAPID JWT (RFC 8292) and
// encrypts the payload (RFC 8291, aes128gcm); the request itself goes through the guarded
// fetcher, because the endpoint is a URL a browser sent us: it may not point at Pano's own network,
// and a push service that hangs is cut off after PUSH_TIMEOUT_MS instead of holding anything up.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createECDH } from "node:crypto";
import type { Database } from "bun:sqlite";
import type { Writer } from "../store/writer.ts";
import type { FetchOutside } from "../net/outside-fetch.ts";
import type { Logger } from "../log.ts";
import { writeKey } from "../store/secrets.ts";
import { pruneSubscription, recordPushOutcome, subscriptionsOf, type PushSubscriptionRow } from "../store/push-subscriptions.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const PUSH_TIMEOUT_MS = 10_000;

// Loaded on first use, not at start: its crypto and HTTP dependencies cost every start a third of a second.
const webPush = async () => (await import("web-push")).default;

/** How long a push service keeps a notification for a device that is off (seconds). */
const TTL_SECONDS = 24 * 3600;

/**
 * Generated once and kept in the data dir (mode 0600): every subscription is bound to this public
 * key, so a new key would silence every device until its page subscribes again. On PostgreSQL the
 * instances share one pair through the database instead (src/instance-keys.ts).
 */
export function loadVapidKeys(dataDir: string): VapidKeys {
  const kept = readVapidFile(dataDir);
  if (kept) return kept;
  const keys = newVapidKeys();
  writeKey(join(dataDir, "vapid.json"), JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey }) + "\n");
  return keys;
}

/** The data dir's vapid.json, null when there is none. */
export function readVapidFile(dataDir: string): VapidKeys | null {
  const path = join(dataDir, "vapid.json");
  if (!existsSync(path)) return null;
  const k = JSON.parse(readFileSync(path, "utf8")) as Partial<VapidKeys>;
  if (typeof k.publicKey === "string" && typeof k.privateKey === "string") return { publicKey: k.publicKey, privateKey: k.privateKey };
  throw new Error(`${path} does not hold VAPID keys`);
}

/** As web-push's generateVAPIDKeys: a P-256 key pair, the public key uncompressed (65 bytes). */
export function newVapidKeys(): VapidKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const d = ecdh.getPrivateKey();
  // The private scalar is 32 bytes; one with leading zero bytes comes back shorter.
  return { publicKey: ecdh.getPublicKey().toString("base64url"), privateKey: Buffer.concat([Buffer.alloc(32 - d.length), d]).toString("base64url") };
}

/** The VAPID "sub" claim: how a push service reaches the operator (an https URL or mailto:). */
export function vapidSubject(publicUrl: string): string {
  return /^https:\/\//.test(publicUrl) && !/^https:\/\/localhost\b/.test(publicUrl) ? publicUrl : "mailto:pano@localhost.invalid";
}

export interface PushMessage {
  title: string;
  body: string;
  url: string;
  tag: string;
}

export type PushOutcome = "sent" | "pruned" | "failed";

export class PushSender {
  constructor(
    private deps: { db: Database; writer: Writer; fetchOutside: FetchOutside; keys: VapidKeys; subject: string; log: Logger; timeoutMs?: number },
  ) {}

  get publicKey(): string {
    return this.deps.keys.publicKey;
  }

  /** To every device of this person, side by side; one slow or dead device does not hold up the others. */
  async sendTo(userId: number, message: PushMessage): Promise<PushOutcome[]> {
    const subs = subscriptionsOf(this.deps.db, userId);
    return Promise.all(subs.map((s) => this.sendOne(s, message)));
  }

  private async sendOne(s: PushSubscriptionRow, message: PushMessage): Promise<PushOutcome> {
    const { keys, subject, fetchOutside, writer, log } = this.deps;
    let error: string;
    try {
      const req = (await webPush()).generateRequestDetails({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, JSON.stringify(message), {
        vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: TTL_SECONDS,
        urgency: "high",
        topic: message.tag.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32) || undefined,
      });
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.toLowerCase() !== "content-length").map(([k, v]) => [k, String(v)]));
      const answer = await fetchOutside(req.endpoint, {
        method: "POST", headers, body: new Uint8Array(req.body), timeoutMs: this.deps.timeoutMs ?? PUSH_TIMEOUT_MS, keepBody: false, followRedirects: false,
      });
      if (answer.ok) {
        await writer.submit((tx) => recordPushOutcome(tx, s.id, null));
        return "sent";
      }
      // RFC 8030 §7.3: 404 and 410 say the subscription is gone for good.
      if (answer.status === 404 || answer.status === 410) {
        await writer.submit((tx) => pruneSubscription(tx, s.id));
        log("info", "push subscription gone, removed", { subscription_id: s.id, user_id: s.user_id, status: answer.status });
        return "pruned";
      }
      error = `push service answered ${answer.status}`;
    } catch (err) {
      error = String((err as Error)?.message ?? err);
    }
    log("warn", "push not delivered", { subscription_id: s.id, user_id: s.user_id, error });
    await writer.submit((tx) => recordPushOutcome(tx, s.id, error)).catch(() => {});
    return "failed";
  }
}
