// Most customer mail is one text/plain part: a phone's or a webmail's plain reply. mailparser
// reads every mail as a tree of streams and waits a turn of the event loop for each chunk; for
// such a mail that machinery was most of the mail reader's time (simpleParser 135-170 us a mail
// once warm, this reader 50-64 us, mostly mailparser's own header processing) and much of the
// garbage a backlog left to collect.
//
// This reader takes only that shape: one text/plain part, not an attachment, in UTF-8 or ASCII,
// not format=flowed, in 7bit, 8bit, quoted-printable or base64. Every value is still decided by
// mailparser's own parts: mailsplit's MimeNode reads the structure (content type, charset,
// encoding, disposition) and keeps the header lines, MailParser's header processing decodes
// addresses, subject, ids and date, libqp and libbase64 decode the body as mailparser's decoders
// do. Any other mail returns null and goes through mailparser as before. tests/
// email-text-mail-reader.test.ts holds the two readers' results side by side.
//
// One difference, on purpose: `headers` holds only the fields lifted onto the mail (from, subject,
// ids, date...). Pano reads every other header from `headerLines` (parse.ts, guard.ts), and a
// client's mail carries 20 to 50 lines of Received, DKIM, ARC and X- headers that mailparser
// would decode one by one: on such a header block this reader took 105-185 us a mail, 46-53 us
// when it decodes the lifted fields only.
import { MailParser, type ParsedMail, type HeaderLines, type Headers } from "mailparser";
import MimeNode from "@zone-eu/mailsplit/lib/mime-node.js";
import libqp from "libqp";
import libbase64 from "libbase64";
import { PARSE_OPTIONS } from "./parse.ts";

// mailsplit refuses a header block past its limit; such a rare mail is left to mailparser.
const MAX_HEAD_BYTES = 64 * 1024;
// The header fields simpleParser lifts onto the mail, by their camel-cased names.
const LIFTED = ["subject", "references", "date", "to", "from", "cc", "bcc", "message-id", "in-reply-to", "reply-to"];
const IS_LIFTED = new Set(LIFTED);

interface HeaderProcessor {
  processHeaders(lines: unknown): Headers;
}

// One parser kept for its header processing only: nothing is ever written to it.
let headerProcessor: HeaderProcessor | null = null;
const processHeaders = (lines: unknown): Headers => {
  headerProcessor ??= new MailParser(PARSE_OPTIONS) as unknown as HeaderProcessor;
  return headerProcessor.processHeaders(lines);
};

/** Where the header block ends: the first empty line (LF or CRLF), as mailsplit reads lines. */
function headerEnd(bytes: Buffer): { head: number; body: number } | null {
  if (bytes[0] === 0x0a || (bytes[0] === 0x0d && bytes[1] === 0x0a)) return null; // no header at all
  const lf = bytes.indexOf("\n\n");
  const crlf = bytes.indexOf("\n\r\n");
  if (lf < 0 && crlf < 0) return null;
  if (crlf < 0 || (lf >= 0 && lf < crlf)) return { head: lf + 1, body: lf + 2 };
  return { head: crlf + 1, body: crlf + 3 };
}

function bodyText(node: MimeNode, body: Buffer): string {
  let bytes: Buffer;
  if (node.encoding === "base64") {
    // As libbase64's Decoder: everything but the base64 alphabet dropped, then decoded.
    bytes = libbase64.decode(body.toString("latin1").replace(/[^a-zA-Z0-9+/=]/g, ""));
  } else if (node.encoding === "quoted-printable") {
    bytes = libqp.decode(body);
  } else {
    bytes = body;
  }
  return bytes.toString().replace(/\r?\n/g, "\n");
}

/**
 * The mail as mailparser's simpleParser reads it (its `headers` holding the lifted fields only),
 * when it is one plain text part; null otherwise.
 * Never throws: whatever this reader stumbles on is mailparser's to read, or to call unreadable.
 */
export function readTextMail(bytes: Buffer): ParsedMail | null {
  try {
    return readPlain(bytes);
  } catch {
    return null;
  }
}

function readPlain(bytes: Buffer): ParsedMail | null {
  const end = headerEnd(bytes);
  if (!end || end.head > MAX_HEAD_BYTES) return null;
  const node = new MimeNode(false, {});
  node.addHeaderChunk(bytes.subarray(0, end.body));
  node.parseHeaders();
  if (node.multipart || node.contentType !== "text/plain" || node.flowed) return null;
  if (node.disposition && node.disposition !== "inline") return null; // kept as an attachment by mailparser
  const charset = String(node.charset || "utf-8").toLowerCase().replace(/[^a-z0-9]+/g, "");
  if (charset !== "utf8" && charset !== "ascii" && charset !== "usascii") return null;

  const head = node.headers;
  if (!head) return null;
  const headers = processHeaders(head.getList().filter((line: { key: string }) => IS_LIFTED.has(line.key)));
  const text = bodyText(node, bytes.subarray(end.body));
  const mail: Record<string, unknown> = { attachments: [], headers, headerLines: head.lines as HeaderLines };
  if (text) mail.text = text;
  for (const key of LIFTED) {
    if (headers.has(key)) mail[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = headers.get(key);
  }
  return mail as unknown as ParsedMail;
}
