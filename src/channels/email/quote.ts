// The new part of a reply: what the customer wrote above the quoted history and the signature.
// Agents read that as the message; the full mail stays in html and meta.full_text.

// Lines that open the quoted earlier mail, as Gmail, Outlook, Apple Mail and Thunderbird write
// them in Vietnamese and English.
const QUOTE_OPENERS = [
  /^\s*(?:On|Vào)\s.{4,300}(?:wrote|đã viết|viết)\s*:\s*$/i,
  /^\s*-{2,}\s*(?:Original Message|Forwarded message|Thư gốc|Tin nhắn gốc|Thư chuyển tiếp)\s*-{2,}\s*$/i,
  /^\s*_{20,}\s*$/,
  /^\s*(?:From|Từ)\s*:\s.+$/i,
  /^\s*Le\s.{4,200}a écrit\s*:\s*$/i,
];
// "From:" opens a quote only when "Sent:"/"Date:" follows within two lines (Outlook's header block).
const OUTLOOK_NEXT = /^\s*(?:Sent|Date|Đã gửi|Ngày|Gửi|To|Đến)\s*:/i;
const SIGNATURE = /^(?:-- ?|--|Sent from my .{1,40}|Gửi từ .{1,40}|Được gửi từ .{1,40})\s*$/;

export interface SplitBody {
  /** What the sender wrote in this mail. */
  fresh: string;
  /** True when something (quote or signature) was cut away. */
  collapsed: boolean;
}

export function splitReply(text: string): SplitBody {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  // Whether anything but an opener came first: a forward starting "On ... wrote:" is all quote.
  let wroteSomething = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Gmail wraps a long "On ... wrote:" line in two.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]}` : line;
    const opener = QUOTE_OPENERS.findIndex((re) => re.test(line) || (re === QUOTE_OPENERS[0] && /^\s*(?:On|Vào)\s/i.test(line) && re.test(joined)));
    if (opener === 3 && !lines.slice(i + 1, i + 3).some((l) => OUTLOOK_NEXT.test(l))) continue;
    if (opener >= 0 && i > 0) {
      end = i;
      break;
    }
    if (SIGNATURE.test(line) && i > 0) {
      end = i;
      break;
    }
    // A block of ">" lines that runs to the end is quoted history too.
    if (wroteSomething && /^\s*>/.test(line) && lines.slice(i).every((l) => /^\s*>/.test(l) || !l.trim())) {
      end = i;
      break;
    }
    if (line.trim() && opener < 0) wroteSomething = true;
  }
  const fresh = lines.slice(0, end).join("\n").trim();
  // A mail that is nothing but a quote (a forward) keeps everything.
  if (!fresh) return { fresh: text.trim(), collapsed: false };
  return { fresh, collapsed: end < lines.length && lines.slice(end).some((l) => l.trim()) };
}
