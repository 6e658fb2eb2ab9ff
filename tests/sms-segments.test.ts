// How many SMS a text costs, the rule the composer's counter and every send use (src/domain/sms.ts):
// GSM-7 fits 160 in one message and 153 per part; one Vietnamese letter with diacritics makes the
// whole text UCS-2 (70 / 67); sending it "không dấu" is offered only when that saves messages.
import { describe, expect, test } from "bun:test";
import { smsCount, plainSms, plainSaves, isGsm7 } from "../src/domain/sms.ts";

const count = (t: string) => { const c = smsCount(t); return [c.encoding, c.characters, c.segments]; };

describe("counting SMS parts", () => {
  test("an empty text is no message", () => {
    expect(count("")).toEqual(["gsm7", 0, 0]);
  });

  test("plain text: 160 characters in one message, then 153 per part", () => {
    expect(count("a".repeat(160))).toEqual(["gsm7", 160, 1]);
    expect(count("a".repeat(161))).toEqual(["gsm7", 161, 2]);
    expect(count("a".repeat(306))).toEqual(["gsm7", 306, 2]);
    expect(count("a".repeat(307))).toEqual(["gsm7", 307, 3]);
    expect(smsCount("a".repeat(150)).remaining).toBe(10);
  });

  test("the GSM extension characters (€ [ ] { } ~ ^ | \\) cost two, and a pair is never split across parts", () => {
    expect(count("€".repeat(80))).toEqual(["gsm7", 80, 1]);
    // 81 euros are 162 septets: parts of 153 hold 76 euros (152) each, so two parts.
    expect(count("€".repeat(81))).toEqual(["gsm7", 81, 2]);
    expect(count("a".repeat(152) + "€" + "a".repeat(10))).toEqual(["gsm7", 163, 2]);
  });

  test("the accents GSM has (é, à, è, ù, ì, ò) stay plain; Vietnamese diacritics turn the text to UCS-2", () => {
    expect(isGsm7("Café à la carte, très bien")).toBe(true);
    expect(count("Cảm ơn chị")).toEqual(["ucs2", 10, 1]);
    expect(count("ư".repeat(70))).toEqual(["ucs2", 70, 1]);
    expect(count("ư".repeat(71))).toEqual(["ucs2", 71, 2]);
    expect(count("ư".repeat(134))).toEqual(["ucs2", 134, 2]);
    expect(count("ư".repeat(135))).toEqual(["ucs2", 135, 3]);
  });

  test("an emoji costs two UCS-2 units and is never cut in half", () => {
    expect(count("😀".repeat(35))).toEqual(["ucs2", 35, 1]);
    expect(count("😀".repeat(36))).toEqual(["ucs2", 36, 2]);
    expect(count("a".repeat(66) + "😀")).toEqual(["ucs2", 67, 1]);
    expect(count("a".repeat(69) + "😀")).toEqual(["ucs2", 70, 2]);
  });
});

describe("sending without diacritics", () => {
  test("drops the marks, keeps the case, and makes typographic quotes, dashes and ellipses plain", () => {
    expect(plainSms("Đơn hàng của chị đã được giao “hôm nay” – cảm ơn…")).toBe('Don hang cua chi da duoc giao "hom nay" - cam on...');
    expect(plainSms("ỨNG DỤNG Ưu Đãi")).toBe("UNG DUNG Uu Dai");
    expect(isGsm7(plainSms("Shop Xinh kính chào quý khách, ưu đãi 20% hôm nay!"))).toBe(true);
  });

  test("is offered when it saves messages: a 100-character Vietnamese reply is 2 SMS with diacritics, 1 without", () => {
    const text = "Chào chị Lan, đơn hàng DH1024 của chị đã được giao cho đơn vị vận chuyển, dự kiến tới chiều mai ạ.";
    expect(smsCount(text)).toMatchObject({ encoding: "ucs2", segments: 2 });
    const plain = plainSaves(text)!;
    expect(plain.text).toBe("Chao chi Lan, don hang DH1024 cua chi da duoc giao cho don vi van chuyen, du kien toi chieu mai a.");
    expect(plain.count).toMatchObject({ encoding: "gsm7", segments: 1 });
  });

  test("is not offered when it saves nothing: a short reply, a plain one, or one an emoji keeps in UCS-2 at the same count", () => {
    expect(plainSaves("Cảm ơn chị")).toBeNull();
    expect(plainSaves("Cam on chi")).toBeNull();
    expect(plainSaves("Cảm ơn chị 😀")).toBeNull();
  });
});
