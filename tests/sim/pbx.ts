// A generic PBX (Asterisk, FreePBX, 3CX behind a small script) posting call states to Pano's phone
// webhook as channels.md says: JSON {"call_id","direction","status","from","to","agent"?,"started_at",
// "answered_at"?,"ended_at"?,"duration_s"?,"recording_url"?}, signed X-Pano-Signature: sha256=<hex HMAC>.
import { createHmac } from "node:crypto";

export interface GenericCallState {
  call_id: string;
  direction: "inbound" | "outbound";
  status: "ringing" | "answered" | "ended" | "missed";
  from: string;
  to: string;
  agent?: string;
  started_at: string;
  answered_at?: string;
  ended_at?: string;
  duration_s?: number;
  recording_url?: string;
}

export function pbxSender(eventsUrl: string, secret: string) {
  return {
    /** Posts one state; `signWith` replaces the secret (a forged or stale key). */
    async post(state: GenericCallState, opts: { signWith?: string } = {}): Promise<Response> {
      const body = JSON.stringify(state);
      const sig = "sha256=" + createHmac("sha256", opts.signWith ?? secret).update(body).digest("hex");
      return fetch(eventsUrl, { method: "POST", headers: { "content-type": "application/json", "x-pano-signature": sig }, body });
    },
  };
}
