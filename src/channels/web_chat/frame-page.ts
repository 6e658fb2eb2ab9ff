// The chat frame's HTML: served by Pano on its own origin inside the shop's page, so the shop's CSS
// cannot reach it and Pano's scripts stay under Pano's policy. Only an allowed origin may frame it.
import type { WebChatConfig } from "./config.ts";
import { widgetTexts, type WidgetLang } from "./texts.ts";
import { TEXT_LIMIT, FILE_LIMIT } from "./content.ts";
import { surveyTexts } from "./survey.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function frameHtml(config: WebChatConfig, lang: WidgetLang, token: string, origin: string): string {
  const t = widgetTexts[lang];
  const boot = {
    token, origin, lang, texts: { ...t, ...surveyTexts[lang] }, color: config.color ?? "#0a6cff",
    welcome: config.welcome_text || t.welcome, preChat: config.pre_chat ?? {},
    textLimit: TEXT_LIMIT, fileLimit: FILE_LIMIT,
  };
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title>
<link rel="stylesheet" href="/chat/frame.css">
<script src="/chat/frame.js" defer></script>
</head>
<body data-boot="${esc(JSON.stringify(boot))}">
<header class="bar">
  <h1 id="title">${esc(t.title)}</h1>
  <p id="agent" aria-live="polite"></p>
  <button type="button" id="close" aria-label="${esc(t.close)}">×</button>
</header>
<main id="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="${esc(t.messages)}" tabindex="0"></main>
<p id="notice" role="alert" hidden></p>
<p id="hours" role="status" hidden></p>
<form id="prechat" hidden novalidate>
  <p id="prechat-intro">${esc(t.pre_chat_intro)}</p>
  <label data-field="name">${esc(t.name)} <input name="name" autocomplete="name" maxlength="200"></label>
  <label data-field="email">${esc(t.email)} <input name="email" type="email" autocomplete="email" maxlength="254"></label>
  <label data-field="phone">${esc(t.phone)} <input name="phone" type="tel" autocomplete="tel" maxlength="40"></label>
  <button type="submit">${esc(t.start)}</button>
</form>
<form id="composer">
  <label class="clip" title="${esc(t.attach)}"><span class="sr">${esc(t.attach)}</span>
    <input type="file" id="file" accept="image/png,image/jpeg,image/gif,image/webp,application/pdf">
    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M21 12l-8.5 8.5a5 5 0 01-7-7L14 5a3.5 3.5 0 015 5l-8.5 8.5a2 2 0 01-3-3L15 8"/></svg>
  </label>
  <textarea id="text" rows="1" aria-label="${esc(t.placeholder)}" placeholder="${esc(t.placeholder)}"></textarea>
  <button type="submit" id="send" aria-label="${esc(t.send)}">${esc(t.send)}</button>
</form>
</body>
</html>`;
}

/** The frame's own policy: nothing from elsewhere; only the shop's allowed origins (and Pano's settings preview) may frame it. */
export function framePolicy(config: WebChatConfig): string {
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
    "form-action 'none'", "base-uri 'none'", `frame-ancestors 'self' ${config.allowed_origins.join(" ")}`,
  ].join("; ");
}
