// The words of one customer's history (profile page, panel timeline, earlier conversations inline)
// and of the suggested duplicates list. `historyT` reads them in the viewer's language.
import type { Lang } from "./index.ts";

export const vi = {
  "history.profile": "Hồ sơ khách hàng",
  "history.open_profile": "Xem hồ sơ đầy đủ",
  "history.timeline": "Mọi hội thoại và cuộc gọi",
  "history.empty": "Chưa có hội thoại nào bạn được xem.",
  "history.older": "Xem cũ hơn",
  "history.end": "Đã hết lịch sử.",
  "history.assignee": "Phụ trách: {name}",
  "history.unassigned": "Chưa giao",
  "history.messages": "{n} tin nhắn",
  "history.no_outcome": "Chưa ghi kết quả",
  "history.show_messages": "Xem tin nhắn",
  "history.older_messages": "Tin nhắn cũ hơn",
  "history.first_message": "Đầu hội thoại.",
  "history.no_messages": "Hội thoại không có tin nhắn.",
  "history.note": "Ghi chú nội bộ",
  "history.attachments": "{n} tệp đính kèm",
  "history.back": "Về hộp thư",
  "history.since": "Khách hàng từ {date}",
  "history.duplicates_link": "Hồ sơ có thể trùng",
  "dup.title": "Hồ sơ có thể trùng",
  "dup.intro": "Các cặp hồ sơ có cùng số điện thoại, cùng email, hoặc tên rất giống nhau kèm một chi tiết chung. Xem cả hai rồi gộp, hoặc đánh dấu không trùng để không gợi ý lại.",
  "dup.empty": "Không có cặp hồ sơ nào cần xem.",
  "dup.reason.phone": "Cùng số điện thoại {value}",
  "dup.reason.email": "Cùng email {value}",
  "dup.reason.name": "Tên giống nhau ({value})",
  "dup.shared.avatar": "và cùng ảnh đại diện",
  "dup.shared.domain": "và cùng tên miền email {value}",
  "dup.shared.attribute": "và cùng {key}: {value}",
  "dup.pair": "Cặp hồ sơ: {a} và {b}",
  "dup.channels": "Kênh",
  "dup.conversations": "Hội thoại",
  "dup.last_activity": "Hoạt động gần nhất",
  "dup.never": "Chưa có",
  "dup.keep_name": "Giữ “{name}”, gộp hồ sơ kia vào",
  "dup.dismiss": "Không trùng",
  "dup.dismissed": "Đã ghi nhận hai hồ sơ không phải một người; cặp này sẽ không được gợi ý lại.",
  "dup.merged": "Đã gộp hai hồ sơ.",
  "dup.gone": "Cặp hồ sơ này không còn cần xem (đã gộp hoặc đã đánh dấu).",
  "dup.more": "Xem thêm",
  "dup.forbidden": "Chỉ quản trị viên và giám sát viên xem được danh sách này.",
  "dup.checked": "Danh sách được cập nhật tự động khi hồ sơ thay đổi.",
} as const;

export type HistoryKey = keyof typeof vi;

export const en: Record<HistoryKey, string> = {
  "history.profile": "Customer profile",
  "history.open_profile": "Open the full profile",
  "history.timeline": "Every conversation and call",
  "history.empty": "No conversation you may see yet.",
  "history.older": "Show older",
  "history.end": "That is the whole history.",
  "history.assignee": "Assigned to {name}",
  "history.unassigned": "Unassigned",
  "history.messages": "{n} messages",
  "history.no_outcome": "No outcome yet",
  "history.show_messages": "Show messages",
  "history.older_messages": "Older messages",
  "history.first_message": "Start of the conversation.",
  "history.no_messages": "This conversation has no messages.",
  "history.note": "Private note",
  "history.attachments": "{n} attachments",
  "history.back": "Back to the inbox",
  "history.since": "Customer since {date}",
  "history.duplicates_link": "Possible duplicates",
  "dup.title": "Possible duplicate profiles",
  "dup.intro": "Pairs of profiles that share a phone number, an email, or a very similar name plus one more detail. Look at both, then merge them, or mark them as not a duplicate so they are not suggested again.",
  "dup.empty": "No pair of profiles to review.",
  "dup.reason.phone": "Same phone {value}",
  "dup.reason.email": "Same email {value}",
  "dup.reason.name": "Similar names ({value})",
  "dup.shared.avatar": "and the same picture",
  "dup.shared.domain": "and the same email domain {value}",
  "dup.shared.attribute": "and the same {key}: {value}",
  "dup.pair": "Profiles {a} and {b}",
  "dup.channels": "Channels",
  "dup.conversations": "Conversations",
  "dup.last_activity": "Last activity",
  "dup.never": "None",
  "dup.keep_name": "Keep “{name}”, merge the other into it",
  "dup.dismiss": "Not a duplicate",
  "dup.dismissed": "Noted: the two profiles are different people; this pair will not be suggested again.",
  "dup.merged": "The two profiles were merged.",
  "dup.gone": "This pair needs no review any more (merged or marked).",
  "dup.more": "Show more",
  "dup.forbidden": "Only admins and supervisors can see this list.",
  "dup.checked": "The list updates by itself as profiles change.",
};

export const historyTexts: Record<Lang, Record<HistoryKey, string>> = { vi, en };

export type HistoryTranslate = (key: HistoryKey, vars?: Record<string, string | number>) => string;

/** This area's words in the viewer's language (Vietnamese when a word is missing). */
export function historyT(lang: Lang): HistoryTranslate {
  const cat = historyTexts[lang] ?? vi;
  return (key, vars) => {
    const s = cat[key] ?? vi[key] ?? key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
  };
}
