// The email channel's words, Vietnamese first. The core's catalogue (views/i18n) merges them as
// channel.email, settings.channels.type.email, email.field.<key> and email.<message key>.
import type { ChannelTexts } from "../channel.ts";

export const vi = {
  name: "Email",
  title: "Email",
  fields: {
    imap: "Hộp thư đến (IMAP)",
    smtp: "Gửi thư (SMTP)",
    host: "Máy chủ",
    port: "Cổng",
    secure: "Dùng TLS",
    starttls: "STARTTLS (khi không bật TLS)",
    user: "Tên đăng nhập",
    password: "Mật khẩu",
    mailbox: "Thư mục",
    allow_invalid_cert: "Chấp nhận chứng chỉ tự ký (chỉ máy chủ nội bộ)",
    from_address: "Địa chỉ gửi",
    from_name: "Tên người gửi",
    poll_seconds: "Kiểm tra thư mỗi (giây) khi máy chủ không hỗ trợ IDLE",
    idle: "Dùng IMAP IDLE (nhận thư ngay lập tức)",
    import_days: "Lần đầu kết nối: nhập thư của bao nhiêu ngày gần nhất",
    max_message_bytes: "Dung lượng tối đa một thư (byte)",
    plus_reply_to: "Reply-To có mã hội thoại (địa chỉ dạng ten+ma@)",
  },
  messages: {
    "outreach.no_email": "Khách chưa có địa chỉ email: hãy thêm email vào hồ sơ khách trước.",
    "outreach.subject_required": "Thư mới cần có tiêu đề.",
    "outreach.subject_too_long": "Tiêu đề dài quá {limit} ký tự.",
  },
} satisfies ChannelTexts;

export const en = {
  name: "Email",
  title: "Email",
  fields: {
    imap: "Incoming mail (IMAP)",
    smtp: "Outgoing mail (SMTP)",
    host: "Host",
    port: "Port",
    secure: "Use TLS",
    starttls: "STARTTLS (when TLS is off)",
    user: "User name",
    password: "Password",
    mailbox: "Mailbox",
    allow_invalid_cert: "Accept a self-signed certificate (local servers only)",
    from_address: "From address",
    from_name: "From name",
    poll_seconds: "Check for mail every (seconds) when the server has no IDLE",
    idle: "Use IMAP IDLE (mail arrives at once)",
    import_days: "First connection: import mail from the last N days",
    max_message_bytes: "Largest message stored in full (bytes)",
    plus_reply_to: "Reply-To carries the conversation (name+token@ address)",
  },
  messages: {
    "outreach.no_email": "The customer has no email address: add one to their profile first.",
    "outreach.subject_required": "A new mail needs a subject.",
    "outreach.subject_too_long": "The subject is longer than {limit} characters.",
  },
} satisfies ChannelTexts;
export const emailTexts = { vi, en };
