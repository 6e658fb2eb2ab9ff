// Search and triage fold Vietnamese the same way whatever the text: the quick letter-by-letter
// folding gives exactly what the rule (decompose, drop the marks, đ -> d, compose) gives.
import { test, expect } from "bun:test";
import { foldVietnamese, withoutDiacritics } from "../src/domain/contact.ts";

const byRule = (t: string) => t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC");

test("customers' words lose their marks and keep their case; folded for search they are lower case", () => {
  expect(withoutDiacritics("Nguyễn Thị Hồng Đào")).toBe("Nguyen Thi Hong Dao");
  expect(foldVietnamese("Shop ơi, ĐƠN HÀNG #123 của mình giao chưa ạ?")).toBe("shop oi, don hang #123 cua minh giao chua a?");
  expect(foldVietnamese("plain ascii 0912 345 678")).toBe("plain ascii 0912 345 678");
  // Typed on a phone that sends letters and marks apart (NFD), the same words
  expect(foldVietnamese("Nguyễn Thị Hồng".normalize("NFD"))).toBe("nguyen thi hong");
});

test("every Latin letter, mark, emoji and other script folds exactly as the rule says", () => {
  const samples: string[] = [];
  for (let c = 0; c < 0x250; c++) samples.push(String.fromCharCode(c));
  for (let c = 0x1e00; c < 0x1f00; c++) samples.push(String.fromCharCode(c));
  samples.push("Khánh Hoà 😍 đẹp", "Zalo: 東京 ข้าว ﬁ ℌ Ǆ İstanbul", "ắ".normalize("NFD") + "x", "é\u0301\u0323", "Ωmega Σ", "\u2000\u2001 spaces");
  // random strings over the same alphabet, mixed
  const alphabet = [..."aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ,.?!0123456789áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ", "\u0301", "\u0323", "😍", "ß", "ø"];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let n = 0; n < 2000; n++) samples.push(Array.from({ length: 1 + (next() % 40) }, () => alphabet[next() % alphabet.length]).join(""));
  for (const s of samples) {
    expect(withoutDiacritics(s)).toBe(byRule(s));
    expect(foldVietnamese(s)).toBe(byRule(s).toLowerCase());
  }
});
