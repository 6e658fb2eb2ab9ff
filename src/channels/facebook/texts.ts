// The words Pano says about Messenger, Vietnamese first: its name, its settings fields, window
// refusals and send failures. The core's catalogue (views/i18n) merges them (channel.facebook,
// settings.channels.type.facebook, facebook.field.<key>, facebook.<message key>); a failure
// carries both languages so each agent reads it in their own.
import type { ChannelTexts } from "../channel.ts";
import { speaker } from "../texts.ts";

export const vi = {
  name: "Messenger",
  title: "Facebook Messenger",
  fields: {
    page_id: "ID Trang Facebook",
    page_access_token: "Page access token",
    app_secret: "App secret",
    verify_token: "Verify token (mã xác minh webhook)",
    graph_version: "Phiên bản Graph API",
    allow_human_agent_tag: "Cho phép thẻ HUMAN_AGENT (trả lời trong 7 ngày)",
  },
  messages: {
    "outreach.never_wrote": "Khách chưa từng nhắn tới Trang này: Messenger chỉ cho Trang trả lời người đã nhắn trước.",
    "window.no_customer_message": "Messenger chỉ cho phép trả lời khách đã nhắn tin cho Trang.",
    "window.automatic_outside_window": "Đã quá 24 giờ kể từ tin nhắn cuối của khách: không được gửi trả lời tự động, chỉ nhân viên mới được trả lời.",
    "window.human_agent_not_enabled": "Đã quá 24 giờ kể từ tin nhắn cuối của khách. Muốn trả lời trong 7 ngày cần thẻ HUMAN_AGENT, nhưng Trang này chưa bật (cần Meta phê duyệt).",
    "window.outside_window": "Đã quá 7 ngày kể từ tin nhắn cuối của khách: Messenger không cho Trang nhắn tiếp cho đến khi khách nhắn lại.",
    "send.token_invalid": "Mã truy cập của Trang không hợp lệ hoặc đã hết hạn: hãy kết nối lại Trang Facebook trong Cài đặt",
    "send.outside_window": "Facebook từ chối: tin nhắn nằm ngoài khung thời gian được phép nhắn",
    "send.person_unavailable": "Người này hiện không nhận được tin nhắn trên Messenger (đã chặn Trang hoặc khoá tài khoản)",
    "send.rate_limited": "Facebook đang giới hạn tốc độ gửi",
    "send.unavailable": "Facebook tạm thời không phản hồi (HTTP {status})",
    "send.invalid_parameter": "Facebook từ chối tin nhắn vì không hợp lệ",
    "send.refused": "Facebook từ chối tin nhắn (HTTP {status})",
    "send.refused_code": "Facebook từ chối tin nhắn (HTTP {status}, mã {code})",
    "send.unreachable": "Không kết nối được tới Facebook",
    "send.no_recipient": "Khách chưa có mã Messenger trên Trang này",
    "send.empty": "Không có nội dung để gửi",
  },
} satisfies ChannelTexts;

export const en = {
  name: "Messenger",
  title: "Facebook Messenger",
  fields: {
    page_id: "Facebook Page ID",
    page_access_token: "Page access token",
    app_secret: "App secret",
    verify_token: "Verify token (webhook check)",
    graph_version: "Graph API version",
    allow_human_agent_tag: "Allow the HUMAN_AGENT tag (replies within 7 days)",
  },
  messages: {
    "outreach.never_wrote": "The customer never wrote to this Page: Messenger lets a Page answer only people who wrote first.",
    "window.no_customer_message": "Messenger only allows replies to a customer who has messaged the Page.",
    "window.automatic_outside_window": "More than 24 hours since the customer's last message: automatic replies are not allowed, only a person's reply.",
    "window.human_agent_not_enabled": "More than 24 hours since the customer's last message. Replying up to 7 days needs the HUMAN_AGENT tag, which is not enabled for this Page (it needs Meta's approval).",
    "window.outside_window": "More than 7 days since the customer's last message: Messenger does not allow the Page to message them until they write again.",
    "send.token_invalid": "The Page access token is invalid or expired: reconnect the Facebook Page in Settings",
    "send.outside_window": "Facebook refused: the message is outside the allowed messaging window",
    "send.person_unavailable": "This person is not available on Messenger right now (blocked the Page or deactivated)",
    "send.rate_limited": "Facebook rate limit reached",
    "send.unavailable": "Facebook is temporarily unavailable (HTTP {status})",
    "send.invalid_parameter": "Facebook rejected the message as invalid",
    "send.refused": "Facebook refused the message (HTTP {status})",
    "send.refused_code": "Facebook refused the message (HTTP {status}, code {code})",
    "send.unreachable": "Could not reach Facebook",
    "send.no_recipient": "The customer has no Messenger id on this Page",
    "send.empty": "Nothing to send",
  },
} satisfies ChannelTexts & { messages?: Record<keyof typeof vi.messages, string> };
export const facebookTexts = { vi, en };

export type FacebookTextKey = `facebook.${keyof typeof vi.messages}`;

const say = speaker(facebookTexts);

export function facebookText(key: FacebookTextKey, vars?: Record<string, string | number>): { en: string; vi: string } {
  return say(key.slice("facebook.".length) as keyof typeof vi.messages, vars);
}
