// A shop's own categories, learned on the box from a few examples each: suggested with a
// confidence on messages worded differently from the examples (and without diacritics), and not
// suggested on messages about something else.
import { expect, test } from "bun:test";
import { learnCategories, suggestCategories, categoryScores } from "../src/domain/triage/custom-categories.ts";
import { trainingCorpus } from "../src/domain/triage/corpus.ts";

const examples = [
  ...["mình muốn đổi sang size khác được không", "hàng không vừa, cho mình trả lại nhé", "đổi trả trong bao nhiêu ngày vậy shop", "em muốn trả hàng hoàn tiền", "áo chật quá đổi size lớn hơn giúp mình", "nhận hàng không ưng, gửi trả lại được không"].map((text) => ({ tag: "đổi trả", text })),
  ...["máy hư rồi bảo hành ở đâu", "sản phẩm còn bảo hành không", "tai nghe mất tiếng một bên, mang bảo hành được không", "phiếu bảo hành bị mất thì sao", "nồi cơm không lên nguồn, còn trong thời gian bảo hành", "bảo hành bao lâu vậy shop"].map((text) => ({ tag: "bảo hành", text })),
  ...["lấy sỉ 100 cái giá bao nhiêu", "giá sỉ cho đại lý thế nào", "mình mở shop muốn nhập hàng số lượng lớn", "mua số lượng nhiều có chiết khấu không", "bảng giá sỉ gửi mình với", "làm cộng tác viên bán lại có giá riêng không"].map((text) => ({ tag: "hỏi giá sỉ", text })),
];
const background = trainingCorpus().filter((l) => !l.variant).map((l) => l.text);
const started = performance.now();
const model = learnCategories(examples, background);
const learnMs = performance.now() - started;

const top = (text: string) => suggestCategories(model, text)[0]?.tag ?? null;

test("learned on the box in well under a few seconds, deterministic for the same examples", () => {
  expect(model.tags).toEqual(["bảo hành", "hỏi giá sỉ", "đổi trả"]);
  expect(learnMs).toBeLessThan(5000);
  const again = learnCategories(examples, background);
  expect(Buffer.from(again.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(true);
});

test("suggests the right tag, with a confidence, on messages worded differently and typed without diacritics", () => {
  const cases: [string, string][] = [
    ["quan mac ko vua, shop cho doi size M nha", "đổi trả"],
    ["giày bị chật, mình gửi trả lại được không shop", "đổi trả"],
    ["loa bluetooth mua tháng trước giờ không lên, bh ở đâu v", "bảo hành"],
    ["may say toc hu roi con bao hanh ko shop", "bảo hành"],
    ["mình lấy 200 cái thì giá sỉ bao nhiêu", "hỏi giá sỉ"],
    ["bên mình là đại lý muốn nhập số lượng lớn, chiết khấu sao", "hỏi giá sỉ"],
  ];
  for (const [text, tag] of cases) {
    const s = suggestCategories(model, text);
    expect({ text, tag: s[0]?.tag }).toEqual({ text, tag });
    expect(s[0].confidence).toBeGreaterThanOrEqual(model.threshold);
    expect(s[0].confidence).toBeLessThanOrEqual(1);
  }
});

test("suggests nothing for messages about something else", () => {
  for (const text of ["cảm ơn shop nhiều nha", "đơn của mình giao tới đâu rồi", "son này màu gì đẹp", "chúc shop năm mới vui vẻ", "😍😍"]) {
    expect({ text, tags: suggestCategories(model, text).map((s) => s.tag) }).toEqual({ text, tags: [] });
  }
  expect(categoryScores(model, "😍😍")).toEqual([]);
});

test("no examples, no tags: nothing is suggested", () => {
  const empty = learnCategories([], background.slice(0, 50));
  expect(empty.tags).toEqual([]);
  expect(suggestCategories(empty, "bảo hành ở đâu")).toEqual([]);
});
