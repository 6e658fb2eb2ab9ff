// What Pano makes of each Messenger webhook event channels.md lists, recorded byte for byte in
// tests/fixtures/payloads/facebook: one row per payload, naming the events parse() must give
// (or why it gives none). Malformed deliveries must not throw: Facebook would retry the batch
// forever and every good event in it would be lost with the bad one.
import { describe, expect, test } from "bun:test";
import { parseFacebook, UNSUPPORTED_TEXT } from "../src/channels/facebook/parse.ts";
import type { Channel } from "../src/channels/channel.ts";
import type { FacebookConfig } from "../src/channels/facebook/config.ts";
import type { InboundEvent, InboundMessageEvent } from "../src/domain/message.ts";
import { recorded, recordedNames } from "./fixtures/payloads/recorded.ts";

const PAGE = "112233445566778";
const PSID = "6543210987654321";
const T = 1732400000000;
const CDN = "https://scontent.xx.fbcdn.net/v/t1.15752-9";

const channel = {
  id: 7, type: "facebook", name: "Shop áo dài", status: "active",
  config: { page_id: PAGE, page_access_token: "EAAB", app_secret: "s3cret", verify_token: "v" },
} as unknown as Channel<FacebookConfig>;

/** What the webhook hands parse() for one Page: that Page's entries of the delivery. */
const parseRecorded = (name: string) => parseFacebook({ entries: recorded("facebook", name).entry }, channel);

const incoming = (mid: string, o: Partial<InboundMessageEvent> = {}): InboundMessageEvent => ({
  kind: "message", channelId: 7, externalMessageId: mid, direction: "in", contact: { externalId: PSID },
  text: "", attachments: [], occurredAt: new Date(T), ...o,
});
const echo = (mid: string, o: Partial<InboundMessageEvent> = {}) =>
  incoming(mid, { direction: "out", authorLabel: "Page", ...o });

interface Row { payload: string; says: string; expected: InboundEvent[] }

const rows: Row[] = [
  { payload: "message-text", says: "a customer's text is one incoming message from their PSID",
    expected: [incoming("m_text_1", { text: "Chào shop, áo này còn size M không ạ?" })] },
  { payload: "message-image", says: "an image keeps its CDN URL, named from the path",
    expected: [incoming("m_img_1", { attachments: [{ kind: "image", name: "ao-dai.jpg", contentType: "image/jpeg", url: `${CDN}/ao-dai.jpg?_nc_cat=1&oh=abc` }] })] },
  { payload: "message-video", says: "a video",
    expected: [incoming("m_vid_1", { attachments: [{ kind: "video", name: "clip.mp4", contentType: "video/mp4", url: "https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4?_nc_cat=1" }] })] },
  { payload: "message-audio", says: "a voice clip (m4a)",
    expected: [incoming("m_aud_1", { attachments: [{ kind: "audio", name: "audioclip-1732400000000.m4a", contentType: "audio/mp4", url: "https://cdn.fbsbx.com/v/t59.3654-21/audioclip-1732400000000.m4a?_nc_cat=1" }] })] },
  { payload: "message-file", says: "a file keeps its percent-decoded Vietnamese name",
    expected: [incoming("m_file_1", { attachments: [{ kind: "file", name: "Hóa đơn.pdf", contentType: "application/pdf", url: "https://cdn.fbsbx.com/v/t59.2708-21/H%C3%B3a%20%C4%91%C6%A1n.pdf?_nc_cat=1" }] })] },
  { payload: "message-sticker", says: "a sticker as Messenger sends it (type image with sticker_id) is an image",
    expected: [incoming("m_stk_1", { attachments: [{ kind: "image", name: "39178562_1505197616293642_5411344281094848512_n.png", contentType: "image/png", url: `${CDN}/39178562_1505197616293642_5411344281094848512_n.png` }] })] },
  { payload: "message-sticker-type", says: "an attachment of type sticker is a sticker",
    expected: [incoming("m_stk_2", { attachments: [{ kind: "sticker", name: "like.png", contentType: "image/png", url: `${CDN}/like.png` }] })] },
  { payload: "message-fallback", says: "a shared link (fallback) is a link in meta, not a file to download",
    expected: [incoming("m_fb_1", { text: "xem cái này", meta: { links: [{ type: "fallback", title: "Áo dài lụa - Shop", url: "https://shop.vn/ao-dai" }] } })] },
  { payload: "message-unknown-attachment", says: "an attachment type Pano does not know is kept as 'other' without a URL to fetch",
    expected: [incoming("m_reel_1", { attachments: [{ kind: "other", name: "ig_reel", contentType: "application/octet-stream", url: undefined }] })] },
  { payload: "message-text-and-images", says: "text and several images stay one message, attachments in order",
    expected: [incoming("m_multi_1", { text: "2 mẫu này", attachments: [
      { kind: "image", name: "mau-1.png", contentType: "image/png", url: `${CDN}/mau-1.png` },
      { kind: "image", name: "mau-2.webp", contentType: "image/webp", url: `${CDN}/mau-2.webp` },
    ] })] },
  { payload: "message-quick-reply", says: "a quick reply keeps its payload",
    expected: [incoming("m_qr_1", { text: "Size M", meta: { quick_reply_payload: "SIZE_M" } })] },
  { payload: "message-reply-to", says: "a reply to an earlier message keeps that mid",
    expected: [incoming("m_rt_1", { text: "cái này nè", meta: { reply_to: "m_earlier_1" } })] },
  { payload: "echo-from-pano", says: "an echo of Pano's own send is outgoing, to the recipient, linked by metadata",
    expected: [echo("m_echo_1", { text: "Dạ còn ạ", meta: { app_id: "1517300000000000", panoMessageId: 42 } })] },
  { payload: "echo-from-page-inbox", says: "an echo from the Page inbox app is outgoing with no Pano link",
    expected: [echo("m_echo_2", { text: "Shop gửi chị mẫu mới", attachments: [{ kind: "image", name: "mau-moi.jpg", contentType: "image/jpeg", url: `${CDN}/mau-moi.jpg` }], meta: { app_id: "263902037430900" } })] },
  { payload: "postback", says: "a button tap is an incoming message titled by the button, payload kept",
    expected: [incoming("m_pb_1", { text: "Bắt đầu", meta: { postback_payload: "GET_STARTED" } })] },
  { payload: "postback-no-mid", says: "a postback without mid gets a stable id from sender and time",
    expected: [incoming(`postback-${PSID}-${T}`, { text: "Xem giỏ hàng", meta: { postback_payload: "VIEW_CART" } })] },
  { payload: "delivery-mids", says: "a delivery naming mids marks exactly those delivered",
    expected: [{ kind: "status", channelId: 7, contactExternalId: PSID, status: "delivered", externalMessageIds: ["m_out_1", "m_out_2"], occurredAt: new Date(T) }] },
  { payload: "delivery-watermark", says: "a delivery without mids marks everything up to the watermark",
    expected: [{ kind: "status", channelId: 7, contactExternalId: PSID, status: "delivered", watermark: new Date(T - 1000), occurredAt: new Date(T) }] },
  { payload: "read", says: "a read receipt marks everything up to the watermark read",
    expected: [{ kind: "status", channelId: 7, contactExternalId: PSID, status: "read", watermark: new Date(T - 500), occurredAt: new Date(T) }] },
  { payload: "reaction-react", says: "a reaction carries the emoji",
    expected: [{ kind: "reaction", channelId: 7, contactExternalId: PSID, externalMessageId: "m_out_1", emoji: "❤", occurredAt: new Date(T) }] },
  { payload: "reaction-unreact", says: "unreact removes the reaction (emoji null)",
    expected: [{ kind: "reaction", channelId: 7, contactExternalId: PSID, externalMessageId: "m_out_1", emoji: null, occurredAt: new Date(T) }] },
  { payload: "standby-message", says: "a message in standby[] (handover protocol) is stored like one in messaging[]",
    expected: [incoming("m_sb_1", { text: "Shop ơi" })] },
  { payload: "batch-several-entries", says: "every event of every entry comes out, in order",
    expected: [
      incoming("m_b_1", { text: "một" }),
      { kind: "status", channelId: 7, contactExternalId: PSID, status: "read", watermark: new Date(T), occurredAt: new Date(T + 1) },
      incoming("m_b_2", { text: "hai", occurredAt: new Date(T + 2) }),
    ] },
  // Malformed and unknown: never a throw; what names nobody is dropped, the rest is kept.
  { payload: "empty-batch", says: "an empty batch gives nothing", expected: [] },
  { payload: "entry-without-messaging", says: "an entry with neither messaging nor standby gives nothing", expected: [] },
  { payload: "event-without-sender", says: "an event with no sender names no customer: dropped", expected: [] },
  { payload: "unknown-event-kind", says: "an event kind Pano does not know is kept as unsupported content with the raw event",
    expected: [incoming(`unsupported-optin-${PSID}-${T}`, { text: UNSUPPORTED_TEXT, unsupported: true, meta: { facebook_kind: "optin", raw: JSON.stringify(recorded("facebook", "unknown-event-kind").entry[0].messaging[0]) } })] },
  { payload: "reaction-without-mid", says: "a reaction to no message is kept as unsupported, not applied",
    expected: [incoming(`unsupported-reaction-${PSID}-${T}`, { text: UNSUPPORTED_TEXT, unsupported: true, meta: { facebook_kind: "reaction", raw: JSON.stringify(recorded("facebook", "reaction-without-mid").entry[0].messaging[0]) } })] },
  { payload: "message-without-mid", says: "a message without mid gets a stable id, so a redelivery is still stored once",
    expected: [incoming(`nomid-${PSID}-${T}`, { text: "không có mid" })] },
  { payload: "timestamp-as-string", says: "a timestamp sent as a string still dates the message",
    expected: [incoming("m_ts_1", { text: "giờ dạng chuỗi" })] },
  { payload: "huge-text", says: "a very long text is kept whole (splitting is the sender's job, not the parser's)",
    expected: [incoming("m_huge_1", { text: recorded("facebook", "huge-text").entry[0].messaging[0].message.text })] },
];

describe("parseFacebook: recorded Messenger deliveries", () => {
  for (const row of rows) {
    test(`${row.payload}: ${row.says}`, () => {
      expect(parseRecorded(row.payload)).toEqual(row.expected);
    });
  }

  test("a delivery with no entries field at all gives nothing", () => {
    expect(parseFacebook({}, channel)).toEqual([]);
  });

  test("an event without a timestamp is dated when it arrives", () => {
    const before = Date.now();
    const [ev] = parseFacebook({ entries: [{ id: PAGE, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE }, message: { mid: "m_now", text: "x" } }] }] }, channel);
    expect((ev as InboundMessageEvent).occurredAt.getTime()).toBeGreaterThanOrEqual(before);
    expect((ev as InboundMessageEvent).occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

// channels.md: one POST batches several events, and Facebook retries a batch that did not get
// 200. A parser that threw on one odd event would refuse the whole batch, and the good events in
// it would never be stored.
const good = (out: InboundEvent[]) => out.filter((e) => !(e.kind === "message" && e.unsupported));
const parsesWithout = (name: string) => {
  let out: InboundEvent[] = [];
  expect(() => (out = parseRecorded(name))).not.toThrow();
  return out;
};

describe("parseFacebook: one bad event does not cost the batch", () => {
  test("one-bad-event-in-batch: the good events on either side are stored", () => {
    const out = parsesWithout("one-bad-event-in-batch");
    expect(good(out).filter((e) => (e as InboundMessageEvent).externalMessageId !== "m_bad_4")).toEqual([
      incoming("m_ok_1", { text: "trước" }),
      incoming("m_ok_2", { text: "sau", occurredAt: new Date(T + 2) }),
    ]);
  });
  test("attachments-not-array: the message is kept, without attachments", () => {
    const out = parsesWithout("attachments-not-array");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: "message", externalMessageId: "m_bad_1", contact: { externalId: PSID }, attachments: [] });
  });
  test("attachment-null: the message is kept, the null attachment skipped", () => {
    const out = parsesWithout("attachment-null");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: "message", externalMessageId: "m_bad_2", attachments: [] });
  });
  test("echo-metadata-not-string: the echo is kept as outgoing, unlinked", () => {
    expect(parsesWithout("echo-metadata-not-string")).toEqual([echo("m_bad_3", { text: "Dạ", meta: { app_id: "1517300000000000" } })]);
  });
  test("delivery-mids-not-array: the receipt still counts, by watermark", () => {
    const out = parsesWithout("delivery-mids-not-array");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: "status", status: "delivered", contactExternalId: PSID });
  });
  test("messaging-not-array: an entry whose messaging is not a list gives nothing", () => {
    expect(good(parsesWithout("messaging-not-array"))).toEqual([]);
  });
  test("a null entry among good ones: the good ones are stored", () => {
    const ok = recorded("facebook", "message-text").entry[0];
    let out: InboundEvent[] = [];
    expect(() => (out = parseFacebook({ entries: [null, ok] } as never, channel))).not.toThrow();
    expect(out).toEqual([incoming("m_text_1", { text: "Chào shop, áo này còn size M không ạ?" })]);
  });
  test("text-wrong-type: text is always a string", () => {
    const [ev] = parsesWithout("text-wrong-type") as InboundMessageEvent[];
    expect(typeof ev.text).toBe("string");
  });
});

describe("parseFacebook: attachment URLs", () => {
  test("attachment-url-not-http: only http(s) URLs are kept to fetch; the attachments stay, unfetchable", () => {
    const [ev] = parsesWithout("attachment-url-not-http") as InboundMessageEvent[];
    expect(ev).toMatchObject({ kind: "message", externalMessageId: "m_url_1" });
    expect(ev.attachments.length).toBeGreaterThan(0);
    for (const a of ev.attachments) expect(a.url === undefined || /^https?:\/\//.test(a.url)).toBe(true);
  });
});

test("every recorded Facebook payload is named by a row", () => {
  const named = new Set([...rows.map((r) => r.payload), "one-bad-event-in-batch", "attachments-not-array", "attachment-null",
    "echo-metadata-not-string", "delivery-mids-not-array", "messaging-not-array", "text-wrong-type", "attachment-url-not-http"]);
  expect(recordedNames("facebook").filter((n) => !named.has(n))).toEqual([]);
});
