// What Pano makes of each Zalo OA webhook event channels.md lists, recorded in
// tests/fixtures/payloads/zalo (user-send-text is channels.md's own example, byte for byte): one
// row per payload with the events parse() must give. Zalo sends one event per delivery, so a
// throw here refuses that delivery and Zalo retries it until it gives up: the event is lost.
import { describe, expect, test } from "bun:test";
import { parseZalo } from "../src/channels/zalo/parse.ts";
import { expectEcho, settleEcho } from "../src/channels/zalo/sent-ids.ts";
import type { Channel } from "../src/channels/channel.ts";
import type { ZaloConfig } from "../src/channels/zalo/config.ts";
import type { InboundEvent, InboundMessageEvent } from "../src/domain/message.ts";
import { recorded, recordedNames, recordedText } from "./fixtures/payloads/recorded.ts";

const OA = "579745863508352884";
const U = "4368496045530239928";
const T = 1732400000000;
const ZCDN = "https://s120-ava-talk.zadn.vn";

const channelNo = (id: number) => ({ id, type: "zalo", name: "OA Shop", status: "active", config: { oa_id: OA } }) as unknown as Channel<ZaloConfig>;
const channel = channelNo(9);
const parseRecorded = (name: string) => parseZalo(recorded("zalo", name), channel);

const incoming = (msgId: string, o: Partial<InboundMessageEvent> = {}): InboundMessageEvent => ({
  kind: "message", channelId: 9, externalMessageId: msgId, direction: "in", contact: { externalId: U },
  text: "", attachments: [], occurredAt: new Date(T), ...o,
});
const fromOa = (msgId: string, o: Partial<InboundMessageEvent> = {}) => incoming(msgId, { direction: "out", authorLabel: "OA", ...o });

interface Row { payload: string; says: string; expected: InboundEvent[] }

const rows: Row[] = [
  { payload: "user-send-text", says: "channels.md's example: string ids and timestamp, one incoming text",
    expected: [incoming("...", { contact: { externalId: "<user id>" }, text: "..." })] },
  { payload: "user-send-text-quote", says: "a quoted reply threads to the quoted msg_id",
    expected: [incoming("zm_q_1", { text: "cái này còn không shop", threadRefs: ["zm_oa_9"], meta: { quote_msg_id: "zm_oa_9" } })] },
  { payload: "user-send-image", says: "an image with a caption: the caption is the text, the image its attachment",
    expected: [incoming("zm_img_1", { text: "mẫu này", attachments: [{ kind: "image", name: "image.jpg", contentType: "image/jpeg", url: `${ZCDN}/anh.jpg` }] })] },
  { payload: "user-send-file", says: "a file keeps its name, type and size (sent as a string)",
    expected: [incoming("zm_file_1", { attachments: [{ kind: "file", name: "Hóa đơn tháng 11.pdf", contentType: "application/pdf", size: 48213, url: "https://f21-zpc.zdn.vn/hoa-don.pdf" }] })] },
  { payload: "user-send-sticker", says: "a sticker keeps its id",
    expected: [incoming("zm_stk_1", { attachments: [{ kind: "sticker", name: "sticker-bfe4e5e4d9a130ff69b0.png", contentType: "image/png", url: "https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1234&size=130" }], meta: { sticker_id: "bfe4e5e4d9a130ff69b0" } })] },
  { payload: "user-send-gif", says: "a gif is an image",
    expected: [incoming("zm_gif_1", { attachments: [{ kind: "image", name: "image.gif", contentType: "image/gif", url: `${ZCDN}/meo.gif` }] })] },
  { payload: "user-send-audio", says: "a voice message",
    expected: [incoming("zm_aud_1", { attachments: [{ kind: "audio", name: "voice.aac", contentType: "audio/aac", url: "https://voice-talk.zdn.vn/voice.aac" }] })] },
  { payload: "user-send-video", says: "a video",
    expected: [incoming("zm_vid_1", { attachments: [{ kind: "video", name: "video.mp4", contentType: "video/mp4", url: "https://video-talk.zdn.vn/clip.mp4" }] })] },
  { payload: "user-send-location", says: "a location becomes readable text with a map link, coordinates in meta",
    expected: [incoming("zm_loc_1", { text: "📍 10.7769,106.7009 https://maps.google.com/?q=10.7769,106.7009", meta: { location: { latitude: "10.7769", longitude: "106.7009" } } })] },
  { payload: "user-send-link", says: "a shared link is text, not a file to download",
    expected: [incoming("zm_link_1", { text: "Áo dài lụa https://shop.vn/ao-dai", meta: { link: { url: "https://shop.vn/ao-dai", thumbnail: undefined } } })] },
  { payload: "follow", says: "follow (no sender, routed by oa_id) is a contact event for the follower",
    expected: [{ kind: "contact", channelId: 9, contact: { externalId: U }, event: "follow", occurredAt: new Date(T) }] },
  { payload: "unfollow", says: "unfollow likewise",
    expected: [{ kind: "contact", channelId: 9, contact: { externalId: U }, event: "unfollow", occurredAt: new Date(T) }] },
  { payload: "oa-send-text", says: "what the OA sent (Zalo's own tools) is outgoing to the recipient, unlinked when Pano did not send it",
    expected: [fromOa("zm_oa_1", { text: "Dạ shop chào chị" })] },
  { payload: "oa-send-image", says: "an OA image echo",
    expected: [fromOa("zm_oa_2", { attachments: [{ kind: "image", name: "image.jpg", contentType: "image/jpeg", url: `${ZCDN}/oa.jpg` }] })] },
  { payload: "user-seen-message", says: "seen marks exactly the named messages read",
    expected: [{ kind: "status", channelId: 9, contactExternalId: U, status: "read", externalMessageIds: ["zm_oa_1", "zm_oa_2"], occurredAt: new Date(T) }] },
  { payload: "user-received-message", says: "received marks them delivered",
    expected: [{ kind: "status", channelId: 9, contactExternalId: U, status: "delivered", externalMessageIds: ["zm_oa_1"], occurredAt: new Date(T) }] },
  { payload: "user-reacted-message", says: "a reaction code becomes its emoji",
    expected: [{ kind: "reaction", channelId: 9, contactExternalId: U, externalMessageId: "zm_oa_1", emoji: "❤️", occurredAt: new Date(T) }] },
  { payload: "user-reacted-unknown-icon", says: "a reaction code Pano does not know is kept as sent",
    expected: [{ kind: "reaction", channelId: 9, contactExternalId: U, externalMessageId: "zm_oa_1", emoji: "/-rose", occurredAt: new Date(T) }] },
  { payload: "oa-reacted-message", says: "the OA's own reaction belongs to the recipient's conversation",
    expected: [{ kind: "reaction", channelId: 9, contactExternalId: U, externalMessageId: "zm_q_1", emoji: "👍", occurredAt: new Date(T) }] },
  // Unknown and malformed: never a throw; what names no user gives nothing, the rest is kept.
  { payload: "unknown-event-kind", says: "an event Pano does not know that names a user is kept as unsupported, raw event in meta",
    expected: [incoming(`user_submit_info:${U}:${T}`, { text: "[Zalo: user_submit_info]", unsupported: true, meta: { zalo_event: "user_submit_info", raw: recorded("zalo", "unknown-event-kind") } })] },
  { payload: "empty-object", says: "an empty object gives nothing", expected: [] },
  { payload: "follow-without-follower", says: "a follow naming nobody gives nothing", expected: [] },
  { payload: "ids-as-numbers", says: "ids and timestamp sent as numbers are read as strings",
    expected: [incoming("99887766", { contact: { externalId: "4368496045530239" }, text: "số" })] },
  { payload: "message-without-msg-id", says: "a message without msg_id gets a stable id, so a redelivery is stored once",
    expected: [incoming(`user_send_text:${U}:${T}`, { text: "không có msg_id" })] },
  { payload: "attachments-not-array", says: "attachments that are not a list are ignored; the text is kept",
    expected: [incoming("zm_bad_1", { text: "ảnh" })] },
  { payload: "attachment-unknown-type", says: "an attachment type Pano does not know is kept in meta, nothing to fetch",
    expected: [incoming("zm_card_1", { meta: { unsupported_attachment: { type: "contact", payload: { name: "Lan", phone: "0912345678" } } } })] },
  { payload: "attachment-url-not-http", says: "a non-http(s) attachment URL is dropped; the attachment stays, unfetchable",
    expected: [incoming("zm_url_1", { attachments: [{ kind: "image", name: "image.jpg", contentType: "image/jpeg", url: undefined }, { kind: "file", name: "passwd", contentType: "application/octet-stream", size: 10, url: undefined }] })] },
  { payload: "text-wrong-type", says: "a text that is not a string is not shown", expected: [incoming("zm_wt_1")] },
  { payload: "huge-text", says: "a very long text is kept whole",
    expected: [incoming("zm_huge_1", { text: recorded("zalo", "huge-text").message.text })] },
];

describe("parseZalo: recorded OA webhook events", () => {
  test("user-send-text.json is channels.md's example byte for byte", () => {
    expect(recordedText("zalo", "user-send-text")).toBe(
      `{"app_id":"...","user_id_by_app":"...","event_name":"user_send_text","sender":{"id":"<user id>"},"recipient":{"id":"<oa id>"},"message":{"msg_id":"...","text":"..."},"timestamp":"1732400000000"}\n`,
    );
  });

  for (const row of rows) {
    test(`${row.payload}: ${row.says}`, () => {
      expect(parseRecorded(row.payload)).toEqual(row.expected);
    });
  }

  test("timestamp-not-a-number: the event is dated when it arrives", () => {
    const before = Date.now();
    const [ev] = parseRecorded("timestamp-not-a-number") as InboundMessageEvent[];
    expect(ev).toMatchObject({ kind: "message", externalMessageId: "zm_t_1", text: "giờ sai" });
    expect(ev.occurredAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(ev.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe("parseZalo: an oa_send_* echo of Pano's own send links to the stored message", () => {
  test("by the msg_id Zalo gave Pano's send", () => {
    const ch = channelNo(901);
    settleEcho(901, { userId: U, content: "Dạ shop chào chị" }, 55, "zm_oa_1");
    expect(parseZalo(recorded("zalo", "oa-send-text"), ch)).toEqual([fromOa("zm_oa_1", { channelId: 901, text: "Dạ shop chào chị", meta: { panoMessageId: 55 } })]);
  });
  test("by what it said to whom, when the echo overtakes the send's answer", () => {
    const ch = channelNo(902);
    expectEcho(902, { userId: U, content: "[image]" }, 56);
    expect(parseZalo(recorded("zalo", "oa-send-image"), ch)).toMatchObject([{ direction: "out", externalMessageId: "zm_oa_2", meta: { panoMessageId: 56 } }]);
  });
});

const parsesWithout = (name: string) => {
  let out: InboundEvent[] = [];
  expect(() => (out = parseRecorded(name))).not.toThrow();
  return out;
};

describe("parseZalo: malformed or hostile events lose nothing and store nothing wrong", () => {
  test("attachment-null: the message is kept, the null attachment skipped", () => {
    expect(parsesWithout("attachment-null")).toEqual([incoming("zm_bad_2", { text: "ảnh lỗi" })]);
  });
  test("user-send-without-sender: a user message naming no user gives nothing", () => {
    expect(parsesWithout("user-send-without-sender")).toEqual([]);
  });
  test("sender-id-empty: a user message with an empty sender id gives nothing", () => {
    expect(parsesWithout("sender-id-empty")).toEqual([]);
  });
  test("location-without-coordinates: no 'undefined' in the text or the map link", () => {
    const [ev] = parsesWithout("location-without-coordinates") as InboundMessageEvent[];
    expect(ev).toMatchObject({ kind: "message", externalMessageId: "zm_loc_2" });
    expect(ev.text).not.toContain("undefined");
  });
  test("link-url-not-http: a shared link keeps only an http(s) URL", () => {
    const [ev] = parsesWithout("link-url-not-http") as InboundMessageEvent[];
    const url = (ev.meta?.link as { url?: string } | undefined)?.url;
    expect(url === undefined || /^https?:\/\//.test(url)).toBe(true);
  });
});

test("every recorded Zalo payload is named by a row", () => {
  const named = new Set([...rows.map((r) => r.payload), "user-send-text", "timestamp-not-a-number", "attachment-null",
    "user-send-without-sender", "sender-id-empty", "location-without-coordinates", "link-url-not-http"]);
  expect(recordedNames("zalo").filter((n) => !named.has(n))).toEqual([]);
});
