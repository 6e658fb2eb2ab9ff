// Whatever a customer types is only words to triage: a message that happens to contain a word
// JavaScript objects know ("constructor", "__proto__", "toString") is classified like any other,
// not a crash that loses the batch it came in.
import { expect, test } from "bun:test";
import { classify, shippedModel, INTENTS } from "../src/domain/triage/index.ts";
import { featureBuckets, featureStrings } from "../src/domain/triage/features.ts";

const model = shippedModel();

test("messages with words like constructor, __proto__ or toString are triaged like any other", () => {
  const words: Record<string, string[]> = {
    "constructor": ["uconstructor"],
    "shop ơi __proto__ là gì": ["ushop", "uproto", "ula", "ugi"],
    "toString valueOf hasOwnProperty": ["utostring", "uvalueof", "uhasownproperty"],
  };
  for (const [text, features] of Object.entries(words)) {
    expect(INTENTS).toContain(classify(model, text).intent);
    expect(featureStrings(text)).toEqual(expect.arrayContaining(features));
  }
  expect(classify(model, "Đơn hàng constructor của mình bị lỗi, hoàn tiền giúp mình!!").intent).toBe(classify(model, "Đơn hàng của mình bị lỗi, hoàn tiền giúp mình!!").intent);
});

test("a message's buckets are the hashes of its feature strings, distinct and ascending", () => {
  const text = "Sản phẩm KHÔNG được!!! 😡 mình cần refund ngay, sdt 0901234567, đơn #12345";
  const buckets = 1 << 16;
  const fnv = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return (h >>> 0) & (buckets - 1);
  };
  const expected = [...new Set(featureStrings(text).map(fnv))].sort((a, b) => a - b);
  expect([...featureBuckets(text, buckets)]).toEqual(expected);
  expect(featureStrings(text)).toEqual(expect.arrayContaining(["ukhong", "okhông", "pkhông được", "!!", ":angry"]));
});
