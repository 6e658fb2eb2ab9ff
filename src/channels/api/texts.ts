// The api channel's words, Vietnamese first. The core's catalogue (views/i18n) merges them as
// channel.api, settings.channels.type.api, api.field.<key> and api.<message key>.
import type { ChannelTexts } from "../channel.ts";

export const vi = {
  name: "API",
  title: "API",
  fields: {
    callback_url: "Callback URL",
    callback_secret: "Callback secret (ký HMAC)",
  },
  messages: {
    "inbound_url": "Địa chỉ nhận tin (POST)",
    "no_callback": "Chưa có callback URL: phần mềm của bạn đọc câu trả lời qua REST API.",
    "callback_ok": "Callback URL trả lời HTTP {status}.",
    "callback_failed": "Callback URL trả lời HTTP {status}.",
    "callback_unreachable": "Không kết nối được tới callback URL: {detail}",
  },
} satisfies ChannelTexts;

export const en = {
  name: "API",
  title: "API",
  fields: {
    callback_url: "Callback URL",
    callback_secret: "Callback secret (HMAC signing)",
  },
  messages: {
    "inbound_url": "Inbound URL (POST)",
    "no_callback": "No callback URL: your software reads replies through the REST API.",
    "callback_ok": "The callback URL answered HTTP {status}.",
    "callback_failed": "The callback URL answered HTTP {status}.",
    "callback_unreachable": "Could not reach the callback URL: {detail}",
  },
} satisfies ChannelTexts & { messages?: Record<keyof typeof vi.messages, string> };
export const apiTexts = { vi, en };
