// The composer's SMS meter: POST /sms/meter (htmx, as the agent types in an SMS conversation) ->
// characters, parts and encoding of the text, counted by the domain's rules (src/domain/sms.ts),
// and, when dropping the diacritics saves parts, a "Gửi không dấu" button that sends the plain text.
import { Hono } from "hono";
import type { ChannelHttp } from "../channel.ts";
import { plainSaves, smsCount } from "../../domain/sms.ts";
import { speaker } from "../texts.ts";
import { smsTexts } from "./texts.ts";
import { MAX_SEGMENTS } from "./limits.ts";

const say = speaker(smsTexts);
const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function meterHtml(text: string, conversationId: number | null, lang: "vi" | "en"): string {
  const line = say.in(lang);
  const count = smsCount(text);
  if (!count.characters) return "";
  const over = count.segments > MAX_SEGMENTS;
  const parts = [
    `<span data-sms-count="">${escape(line("meter.count", { chars: count.characters, segments: count.segments }))}</span>`,
    `<small>· ${escape(line(count.encoding === "gsm7" ? "meter.gsm7" : "meter.ucs2"))}</small>`,
  ];
  if (over) parts.push(`<strong class="over" role="alert">${escape(line("meter.too_long", { max: MAX_SEGMENTS }))}</strong>`);
  const plain = conversationId ? plainSaves(text) : null;
  if (plain && plain.count.segments <= MAX_SEGMENTS) {
    // Inside the composer's form: htmx posts its fields, hx-vals puts the plain text in place of the typed one.
    const vals = JSON.stringify({ text: plain.text, mode: "reply" });
    parts.push(`<button type="button" class="sms-plain" data-sms-plain="" hx-post="/conversations/${conversationId}/messages" hx-vals="${escape(vals)}" hx-swap="none">`
      + `${escape(line("meter.plain"))} <small>(${escape(line("meter.plain_saves", { segments: plain.count.segments }))})</small></button>`);
  }
  return `<span class="sms-meter${over ? " over" : ""}" data-encoding="${count.encoding}" data-segments="${count.segments}">${parts.join(" ")}</span>`;
}

export function meterRoutes(http: ChannelHttp) {
  const app = new Hono();
  app.post("/meter", http.signedIn("admin", "supervisor", "agent"), async (c) => {
    const body = await c.req.parseBody();
    const text = typeof body.text === "string" ? body.text.replace(/\r\n/g, "\n").trim() : "";
    // A private note is not an SMS: nothing to count.
    if (body.mode === "note") return c.html("");
    const id = Number(c.req.query("conversation"));
    return c.html(meterHtml(text.slice(0, 20_000), Number.isSafeInteger(id) && id > 0 ? id : null, http.language(c)));
  });
  return app;
}
