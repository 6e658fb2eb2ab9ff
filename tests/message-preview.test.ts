// The inbox shows each conversation's latest message on one line: whatever whitespace the customer
// typed (new lines, tabs, a non-breaking space from a phone keyboard, doubled spaces) is one space.
import { expect, test } from "bun:test";
import { previewOf } from "../src/domain/message.ts";

test("a message's preview is its text on one line, every run of whitespace one space, at most 160 characters", () => {
  expect(previewOf("Chào shop, đơn hàng của mình giao chưa ạ?", [])).toBe("Chào shop, đơn hàng của mình giao chưa ạ?");
  expect(previewOf("  Chào shop\n\nđơn\t#1234\u00a0giao  chưa?\r\n", [])).toBe("Chào shop đơn #1234 giao chưa?");
  expect(previewOf("a ".repeat(200), [])).toBe("a ".repeat(80));
  expect(previewOf("x".repeat(300), [])).toHaveLength(160);
});

test("a message with no text shows the kind of its first attachment", () => {
  expect(previewOf(" \n ", ["image", "file"])).toBe("[image]");
  expect(previewOf("", [])).toBe("");
});
