// The Vietnamese catalogue: the default language. Every UI string lives here and in en.ts,
// keyed the same way; en.ts is type-checked against this file so no key goes missing.
// Sections are kept apart so the inbox and the settings can grow without stepping on each other.
export const vi = {
  // --- common ---
  "app.name": "Pano",
  "app.tagline": "Hộp thư chung cho Zalo, Messenger và email",
  "common.save": "Lưu",
  "common.cancel": "Hủy",
  "common.delete": "Xóa",
  "common.edit": "Sửa",
  "common.close": "Đóng",
  "common.search": "Tìm kiếm",
  "common.loading": "Đang tải…",
  "common.none": "Không có",
  "common.yes": "Có",
  "common.no": "Không",
  "error.csrf": "Phiên làm việc đã thay đổi. Hãy tải lại trang rồi thử lại.",
  "error.not_found": "Không tìm thấy trang này.",
  "error.generic": "Đã có lỗi xảy ra. Hãy thử lại.",
  "time.just_now": "vừa xong",
  "time.minutes": "{n} phút",
  "time.hours": "{n} giờ",
  "time.days": "{n} ngày",
  // --- auth ---
  // --- inbox ---
  // --- conversation ---
  // --- contact ---
  // --- settings ---
  // --- routing ---
} as const;

export type MessageKey = keyof typeof vi;
