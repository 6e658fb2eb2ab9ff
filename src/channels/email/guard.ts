// Mail that no person wrote: auto-replies, list and bulk mail, bounces. It is stored, but it
// never triggers automation nor reopens a conversation (the `automatic` flag), and a bounce
// marks the outgoing message it reports on as failed.
import { normaliseMessageId } from "./threading.ts";

/** Raw header value (unfolded) by lower-case name; the first occurrence. */
export type HeaderGetter = (name: string) => string | undefined;

export function headerGetter(lines: { key: string; line: string }[]): HeaderGetter {
  return (name) => {
    const hit = lines.find((l) => l.key === name);
    if (!hit) return undefined;
    return hit.line.slice(hit.line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim();
  };
}

export type AutomaticKind = "auto_reply" | "list" | "bounce";

export function automaticKind(h: HeaderGetter, fromAddress: string): AutomaticKind | null {
  if (isBounce(h, fromAddress)) return "bounce";
  const autoSubmitted = h("auto-submitted");
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return "auto_reply";
  if (h("x-autoreply") || h("x-autorespond") || h("x-autoresponder")) return "auto_reply";
  if (/^(?:auto.?reply|auto_reply|junk)$/i.test(h("precedence") ?? "") || /^(?:auto.?reply)/i.test(h("x-auto-response") ?? "")) return "auto_reply";
  if (/^(?:bulk|list)$/i.test(h("precedence") ?? "")) return "list";
  if (h("list-id") || h("list-unsubscribe") || h("list-post")) return "list";
  if (/^(?:OOF|AutoReply)$/i.test(h("x-ms-exchange-generated-message-source") ?? "")) return "auto_reply";
  return null;
}

function isBounce(h: HeaderGetter, fromAddress: string): boolean {
  const type = h("content-type") ?? "";
  if (/multipart\/report/i.test(type) && /report-type\s*=\s*"?delivery-status/i.test(type)) return true;
  return /^(?:mailer-daemon|postmaster)@/i.test(fromAddress) && /undeliver|deliver.*fail|returned|failure|không (?:gửi|chuyển) được/i.test(h("subject") ?? "");
}

export interface BounceReport {
  /** Message-IDs of the mail that bounced (ours, if it was ours). */
  originalIds: string[];
  recipient: string | null;
  status: string | null;
  diagnostic: string | null;
  failed: boolean;
}

/** Reads a DSN (RFC 3464) from its delivery-status part and the returned headers. */
export function readBounce(parts: { contentType: string; text: string }[], bodyText: string): BounceReport {
  const status = parts.find((p) => /delivery-status/i.test(p.contentType))?.text ?? bodyText;
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, "im").exec(status)?.[1].replace(/\s+/g, " ").trim() ?? null;
  const action = field("Action");
  const code = field("Status");
  const returned = parts.filter((p) => /rfc822/i.test(p.contentType)).map((p) => p.text).join("\n") + "\n" + bodyText;
  const originalIds = [...returned.matchAll(/^Message-ID:\s*(<[^>\r\n]+>|\S+)/gim)].map((m) => normaliseMessageId(m[1])).filter((x): x is string => !!x);
  return {
    originalIds: [...new Set(originalIds)],
    recipient: field("Final-Recipient")?.replace(/^rfc822;\s*/i, "") ?? field("Original-Recipient")?.replace(/^rfc822;\s*/i, "") ?? null,
    status: code,
    diagnostic: field("Diagnostic-Code")?.replace(/^smtp;\s*/i, "") ?? null,
    failed: action ? /failed/i.test(action) : !code || code.startsWith("5"),
  };
}

export function bounceReason(b: BounceReport): string {
  const why = b.diagnostic ?? (b.status ? `status ${b.status}` : "no reason given");
  return `The recipient's mail server returned the message${b.recipient ? ` for ${b.recipient}` : ""} / Máy chủ thư của người nhận trả lại thư: ${why}`;
}
