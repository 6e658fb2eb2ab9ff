// A satisfaction survey by email (docs/csat.md): the question and five links, one per rating, each
// signed and single use; a click records the rating without a login and opens a short comment
// page. Sent in the conversation's thread, marked Auto-Submitted like every automatic mail.
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import { SURVEY_WORDS, type OutboundSurvey } from "../../domain/csat.ts";
import type { EmailConfig } from "./config.ts";
import { sendEmail } from "./send.ts";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const FACES = ["", "😞", "🙁", "😐", "🙂", "😍"];

export function surveyMail(s: OutboundSurvey): { text: string; html: string } {
  const w = SURVEY_WORDS[s.language];
  const text = [s.question, "", w.click, ...s.links.map((l) => `${l.rating}: ${l.url}`), "", `${w.stop}: ${s.stopUrl}`].join("\n");
  const buttons = s.links
    .map((l) => `<a href="${escapeHtml(l.url)}" style="display:inline-block;min-width:44px;margin:0 4px;padding:10px 0;border:1px solid #1f6feb;border-radius:6px;color:#1f6feb;text-decoration:none;text-align:center;font-size:18px">${FACES[l.rating]} ${l.rating}</a>`)
    .join("");
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif;font-size:14px">`
    + `<p>${escapeHtml(s.question)}</p><p>${escapeHtml(w.click)}</p><p>${buttons}</p>`
    + `<p style="font-size:12px;color:#666"><a href="${escapeHtml(s.stopUrl)}" style="color:#666">${escapeHtml(w.stop)}</a></p></body></html>`;
  return { text, html };
}

export function sendEmailSurvey(msg: OutboundMessage & { survey: OutboundSurvey }, channel: Channel<EmailConfig>, rt: ChannelRuntime): Promise<SendResult> {
  return sendEmail({ ...msg, ...surveyMail(msg.survey), attachments: [] }, channel, rt);
}
