// An email's HTML cut in two: what the sender wrote now, and the quoted earlier mail (and
// signature) that the timeline folds away. The cut uses the same rules as the plain version
// (quote.ts: "On ... wrote:", Outlook's "From: / Sent:" block, "-- " signatures), applied to
// the HTML's lines, plus <blockquote>: every client quotes with it, and the sanitiser has
// already dropped the class="gmail_quote" / type="cite" that would say so.
import { splitReply } from "../../src/channels/email/quote.ts";

interface Token { kind: "open" | "close" | "void" | "text"; name: string; raw: string }

const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|[^<]+|</g;
const VOID = new Set(["br", "hr", "img", "wbr", "col", "area", "input", "source", "track", "embed", "param", "meta", "link", "base"]);
const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
  "header", "hr", "li", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br",
]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

function tokenize(html: string): Token[] {
  const out: Token[] = [];
  for (const m of html.matchAll(TOKEN)) {
    const raw = m[0];
    if (raw.startsWith("<!--")) continue;
    if (m[2]) {
      const name = m[2].toLowerCase();
      out.push({ kind: m[1] ? "close" : VOID.has(name) || raw.endsWith("/>") ? "void" : "open", name, raw });
    } else out.push({ kind: "text", name: "", raw });
  }
  return out;
}

const decode = (s: string) =>
  s.replace(/&(#?\w+);/g, (e, k: string) => ENTITIES[k] ?? (/^#\d+$/.test(k) ? String.fromCodePoint(Number(k.slice(1))) : e));

/** The text as a mail client would show it, one entry per line with the token it starts at. */
function linesOf(tokens: Token[]): { text: string; at: number }[] {
  const lines: { text: string; at: number }[] = [{ text: "", at: 0 }];
  let quoteDepth = 0;
  tokens.forEach((tk, i) => {
    if (tk.kind === "text") {
      const cur = lines[lines.length - 1];
      const piece = decode(tk.raw).replace(/\s+/g, " ");
      if (!cur.text && quoteDepth && piece.trim()) cur.text = "> ";
      cur.text += cur.text.trim() ? piece : piece.trimStart();
      return;
    }
    if (tk.name === "blockquote") quoteDepth += tk.kind === "open" ? 1 : tk.kind === "close" ? -1 : 0;
    if (BLOCK.has(tk.name)) lines.push({ text: "", at: i + 1 });
  });
  return lines;
}

export interface EmailParts {
  fresh: string;
  /** The folded part, or null when there is nothing to fold. */
  quoted: string | null;
}

/**
 * About how tall (CSS px) the frame must be to show this HTML without scrolling. The sandboxed
 * frame cannot be measured from the page, and a fixed height leaves a two-line reply in a tall
 * empty box; a guess from lines and pictures is close, and the frame still scrolls if short.
 */
export function frameHeight(html: string): number {
  const tokens = tokenize(html);
  const lines = linesOf(tokens).filter((l) => l.text.trim());
  const wrapped = lines.reduce((n, l) => n + Math.max(1, Math.ceil(l.text.length / 70)), 0);
  const pictures = tokens.filter((t) => t.name === "img").reduce((px, t) => {
    if (!/\ssrc=/.test(t.raw)) return px + 20;
    const h = Number(/\sheight="(\d+)"/.exec(t.raw)?.[1]);
    return px + (h > 0 ? Math.min(h, 400) : 200);
  }, 0);
  // Paragraphs, quotes and rules bring their own margins; a break on its own is a blank line.
  const margins = tokens.filter((t) => t.kind === "open" && /^(?:p|blockquote|table|ul|ol|h\d)$/.test(t.name)).length * 16;
  const breaks = tokens.filter((t) => t.name === "br" || t.name === "hr").length * 6;
  return Math.round(Math.min(600, Math.max(48, 24 + wrapped * 22 + pictures + margins + breaks)));
}

export function splitEmailHtml(html: string): EmailParts {
  const tokens = tokenize(html);
  const lines = linesOf(tokens);
  const text = lines.map((l) => l.text).join("\n");
  const split = splitReply(text);
  if (!split.collapsed) return { fresh: html, quoted: null };
  const lead = lines.findIndex((l) => l.text.trim());
  // splitReply trims the blank lines between the fresh text and the quote: the quote starts at
  // the next line with text (a line of only a picture stays with the fresh text).
  let cutLine = lead + split.fresh.split("\n").length;
  while (cutLine < lines.length && !lines[cutLine].text.trim()) cutLine++;
  if (lead < 0 || cutLine >= lines.length) return { fresh: html, quoted: null };
  let cut = lines[cutLine].at;
  // Wrappers, rules and breaks right before the quote belong to it (Outlook's <hr> above "From:").
  while (cut > 0) {
    const prev = tokens[cut - 1];
    if (prev.kind === "open" || (prev.kind === "void" && prev.name !== "img") || (prev.kind === "text" && !decode(prev.raw).trim())) cut--;
    else break;
  }
  const open: Token[] = [];
  for (const tk of tokens.slice(0, cut)) {
    if (tk.kind === "open") open.push(tk);
    else if (tk.kind === "close") {
      const at = open.map((o) => o.name).lastIndexOf(tk.name);
      if (at >= 0) open.length = at;
    }
  }
  const fresh = tokens.slice(0, cut).map((t) => t.raw).join("") + open.map((o) => `</${o.name}>`).reverse().join("");
  const quoted = open.map((o) => o.raw).join("") + tokens.slice(cut).map((t) => t.raw).join("");
  return { fresh, quoted };
}

/** The plain version's folded part: what follows the fresh text in the full text. */
export function quotedText(fresh: string, fullText: string | undefined): string | null {
  if (!fullText || fullText.trim() === fresh.trim()) return null;
  const at = fullText.indexOf(fresh.trim());
  return (at >= 0 ? fullText.slice(at + fresh.trim().length) : fullText).trim() || null;
}
