// The switchboard's words, Vietnamese first: the core merges name/title/fields/messages into its catalogue.
import type { ChannelTexts } from "../channel.ts";

export const vi = {
  name: "Tổng đài",
  title: "Tổng đài ảo (Stringee hoặc tổng đài khác)",
  fields: {
    provider: "Nhà cung cấp",
    numbers: "Số tổng đài của shop (mỗi dòng một số, dạng 842873000000)",
    api_key_sid: "Stringee API key SID",
    api_key_secret: "Stringee API key secret",
    signing_secret: "Khóa ký webhook (tổng đài khác)",
    fallback_number: "Số chuyển tiếp khi không có nhân viên trực",
    fallback_user: "Người dùng tổng đài nhận cuộc gọi khi không có nhân viên trực",
    webhook_token: "Mã bí mật trong địa chỉ webhook (Pano tự tạo)",
  },
  messages: {
    "outreach.no_callout": "Tổng đài này không gọi ra từ Pano (chỉ Stringee gọi được bằng nút Gọi); hãy gọi từ điện thoại bàn của tổng đài.",
    "outreach.agent_only": "Cuộc gọi cần một nhân viên nghe máy: quy tắc tự động không gọi được.",
    "outreach.calling": "Cuộc gọi đi tới {phone}",
    "option.stringee": "Stringee",
    "option.generic": "Tổng đài khác (webhook có chữ ký)",
    events_url: "Địa chỉ nhận sự kiện cuộc gọi (Event URL)",
    answer_url: "Địa chỉ điều hướng cuộc gọi đến (Answer URL, chỉ Stringee)",
    "callout.no_channel": "Chưa có tổng đài Stringee nào đang hoạt động để gọi ra.",
    "callout.no_phone": "Khách hàng này chưa có số điện thoại.",
    "callout.no_contact": "Không tìm thấy khách hàng.",
    "callout.refused": "Stringee từ chối cuộc gọi: {reason}",
    "callout.unreachable": "Không kết nối được Stringee: {reason}",
    "callout.started": "Đang gọi: máy của bạn sẽ đổ chuông trước, sau đó đến khách hàng.",
  },
} satisfies ChannelTexts;

export const en = {
  name: "Phone",
  title: "Virtual switchboard (Stringee or another PBX)",
  fields: {
    provider: "Provider",
    numbers: "The shop's numbers (one per line, like 842873000000)",
    api_key_sid: "Stringee API key SID",
    api_key_secret: "Stringee API key secret",
    signing_secret: "Webhook signing secret (other PBX)",
    fallback_number: "Number to forward to when no agent is online",
    fallback_user: "Switchboard user who takes calls when no agent is online",
    webhook_token: "Secret token in the webhook addresses (made by Pano)",
  },
  messages: {
    "outreach.no_callout": "This switchboard does not call out from Pano (only Stringee is dialled by the Call button); call from the switchboard's own phones.",
    "outreach.agent_only": "A call needs an agent to pick up: an automatic rule cannot call.",
    "outreach.calling": "Outgoing call to {phone}",
    "option.stringee": "Stringee",
    "option.generic": "Another PBX (signed webhook)",
    events_url: "Call events address (Event URL)",
    answer_url: "Incoming call routing address (Answer URL, Stringee only)",
    "callout.no_channel": "No active Stringee switchboard can place the call.",
    "callout.no_phone": "This customer has no phone number.",
    "callout.no_contact": "Contact not found.",
    "callout.refused": "Stringee refused the call: {reason}",
    "callout.unreachable": "Could not reach Stringee: {reason}",
    "callout.started": "Calling: your phone rings first, then the customer's.",
  },
} satisfies ChannelTexts & { messages: Record<keyof typeof vi.messages, string> };

export const phoneTexts = { vi, en };
