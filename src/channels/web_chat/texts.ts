// The website chat's words, Vietnamese first: the core merges name/title/fields/messages into its
// catalogue; `widget` holds what the visitor reads inside the chat frame and on the launcher.
import type { ChannelTexts } from "../channel.ts";

export const vi = {
  name: "Chat trên website",
  title: "Chat trên website",
  fields: {
    allowed_origins: "Website được phép (mỗi dòng một địa chỉ, ví dụ https://shop.vn)",
    identity_secret: "Khóa xác thực khách hàng (HMAC)",
    welcome_text: "Lời chào",
    color: "Màu",
    pre_chat: "Hỏi trước khi chat",
    offline_email_channel_id: "Kênh email gửi câu trả lời khi khách đã rời đi",
    name: "Họ tên",
    email: "Email",
    phone: "Số điện thoại",
    widget_token: "Mã widget (công khai, nằm trong đoạn mã nhúng)",
    session_key: "Khóa ký phiên của khách (Pano tự tạo)",
  },
  messages: {
    snippet: "Dán dòng này vào trang web của bạn, trước thẻ </body>:",
    copy: "Sao chép",
    copied: "Đã sao chép",
    preview: "Xem trước: khách sẽ thấy cửa sổ chat như thế này",
    "option.required": "Bắt buộc",
    "option.optional": "Không bắt buộc",
  },
} satisfies ChannelTexts;

export const en = {
  name: "Website chat",
  title: "Website chat",
  fields: {
    allowed_origins: "Allowed websites (one per line, e.g. https://shop.vn)",
    identity_secret: "Customer identity secret (HMAC)",
    welcome_text: "Welcome text",
    color: "Colour",
    pre_chat: "Ask before the chat",
    offline_email_channel_id: "Email channel for replies to visitors who left",
    name: "Name",
    email: "Email",
    phone: "Phone",
    widget_token: "Widget token (public, part of the snippet)",
    session_key: "Visitor session signing key (made by Pano)",
  },
  messages: {
    snippet: "Paste this line into your website, before </body>:",
    copy: "Copy",
    copied: "Copied",
    preview: "Preview: this is the chat your visitors see",
    "option.required": "Required",
    "option.optional": "Optional",
  },
} satisfies ChannelTexts & { messages: Record<keyof typeof vi.messages, string> };

export const webChatTexts = { vi, en };

/** The mail a visitor who left gets with the agent's reply (both languages: Pano does not know theirs). */
export const offlineMailTexts = {
  vi: { subject: "trả lời tin nhắn của bạn", footer: "Bạn có thể trả lời email này hoặc quay lại trang web để tiếp tục trò chuyện." },
  en: { subject: "a reply to your message", footer: "You can answer this email or come back to the website to continue the chat." },
};

/** What the visitor reads in the chat frame. */
export const widgetTexts = {
  vi: {
    title: "Trò chuyện với chúng tôi",
    welcome: "Xin chào! Chúng tôi có thể giúp gì cho bạn?",
    placeholder: "Nhập tin nhắn…",
    send: "Gửi",
    attach: "Đính kèm ảnh hoặc PDF",
    close: "Đóng",
    agent: "Nhân viên",
    you: "Bạn",
    typing: "{name} đang nhập…",
    sent: "Đã gửi",
    delivered: "Đã nhận",
    read: "Đã xem",
    sending: "Đang gửi…",
    failed: "Chưa gửi được. Thử lại.",
    too_long: "Tin nhắn dài quá {max} ký tự. Hãy rút ngắn hoặc chia thành nhiều tin.",
    bad_file: "Chỉ gửi được ảnh (PNG, JPEG, GIF, WebP) hoặc PDF.",
    big_file: "Tệp lớn quá {max} MB.",
    slow_down: "Bạn gửi nhanh quá. Thử lại sau {seconds} giây.",
    refused: "Cuộc trò chuyện không mở được trên trang này.",
    offline: "Mất kết nối, đang kết nối lại…",
    pre_chat_intro: "Cho chúng tôi biết cách liên hệ với bạn:",
    name: "Họ tên",
    email: "Email",
    phone: "Số điện thoại",
    start: "Bắt đầu trò chuyện",
    required: "Vui lòng điền {field}.",
    launcher: "Mở cửa sổ chat",
  },
  en: {
    title: "Chat with us",
    welcome: "Hello! How can we help you?",
    placeholder: "Type a message…",
    send: "Send",
    attach: "Attach an image or PDF",
    close: "Close",
    agent: "Agent",
    you: "You",
    typing: "{name} is typing…",
    sent: "Sent",
    delivered: "Delivered",
    read: "Read",
    sending: "Sending…",
    failed: "Not sent. Try again.",
    too_long: "The message is over {max} characters. Shorten it or split it into several.",
    bad_file: "Only images (PNG, JPEG, GIF, WebP) or PDFs can be sent.",
    big_file: "The file is over {max} MB.",
    slow_down: "You are sending too fast. Try again in {seconds} seconds.",
    refused: "The chat cannot open on this page.",
    offline: "Connection lost, reconnecting…",
    pre_chat_intro: "Tell us how to reach you:",
    name: "Name",
    email: "Email",
    phone: "Phone",
    start: "Start the chat",
    required: "Please fill in {field}.",
    launcher: "Open the chat",
  },
} as const;
export type WidgetLang = keyof typeof widgetTexts;
