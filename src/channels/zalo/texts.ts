// The zalo channel's words, Vietnamese first. The core's catalogue (views/i18n) merges them as
// channel.zalo, settings.channels.type.zalo, zalo.field.<key> and zalo.<message key>.
import type { ChannelTexts } from "../channel.ts";

export const vi = {
  name: "Zalo",
  title: "Zalo OA",
  fields: {
    oa_id: "OA ID",
    app_id: "App ID",
    app_secret: "App secret",
    oa_secret_key: "OA secret key",
    access_token: "Access token",
    refresh_token: "Refresh token",
    token_expires_at: "Hạn của access token",
  },
  messages: {
    "oauth.title": "Kết nối Zalo OA",
    "oauth.connected": "Đã kết nối kênh {name} với Zalo. Pano sẽ tự làm mới mã truy cập trước khi hết hạn.",
    "oauth.expired": "Liên kết kết nối đã hết hạn hoặc đã được dùng. Hãy bấm “Kết nối với Zalo” một lần nữa.",
    "oauth.denied": "Zalo chưa cấp quyền cho Pano ({reason}). Hãy thử lại và bấm “Cho phép”.",
    "oauth.wrong_oa": "Bạn vừa cấp quyền cho OA {got}, nhưng kênh này dành cho OA {want}. Hãy đăng nhập Zalo bằng tài khoản quản trị đúng OA.",
    "oauth.failed": "Zalo từ chối đổi mã xác thực: {reason}. Hãy kiểm tra App ID, khóa bí mật của ứng dụng và URL callback rồi thử lại.",
    "oauth.back": "Về cài đặt kênh",
    "connect": "Kết nối với Zalo",
    "connect_hint": "Đăng nhập bằng tài khoản quản trị OA để Pano nhận access token và refresh token.",
  },
} satisfies ChannelTexts;

export const en = {
  name: "Zalo",
  title: "Zalo OA",
  fields: {
    oa_id: "OA ID",
    app_id: "App ID",
    app_secret: "App secret",
    oa_secret_key: "OA secret key",
    access_token: "Access token",
    refresh_token: "Refresh token",
    token_expires_at: "Access token expiry",
  },
  messages: {
    "oauth.title": "Connect a Zalo OA",
    "oauth.connected": "Channel {name} is connected to Zalo. Pano refreshes the access token before it expires.",
    "oauth.expired": "This connect link has expired or was already used. Click “Connect with Zalo” again.",
    "oauth.denied": "Zalo did not grant Pano access ({reason}). Try again and click “Allow”.",
    "oauth.wrong_oa": "You granted access to OA {got}, but this channel is for OA {want}. Sign in to Zalo as an admin of the right OA.",
    "oauth.failed": "Zalo refused to exchange the authorisation code: {reason}. Check the app id, the app secret key and the callback URL, then try again.",
    "oauth.back": "Back to channel settings",
    "connect": "Connect with Zalo",
    "connect_hint": "Sign in with the OA's admin account so Pano receives the access and refresh tokens.",
  },
} satisfies ChannelTexts & { messages?: Record<keyof typeof vi.messages, string> };
export const zaloTexts = { vi, en };
