// A ZNS template as Zalo's template/info/v2 describes it, read into what Pano shows agents: its
// params' rules, whether it may be used, and a preview link only when that is a web address.
import { expect, test } from "bun:test";
import { templateOf } from "../src/channels/zalo/zns.ts";

const info = (extra: Record<string, unknown> = {}) => ({
  templateId: 231_000, templateName: "Xác nhận đơn hàng", status: "ENABLE", price: "300",
  listParams: [{ name: "customer_name", require: true, type: "STRING", maxLength: 30, minLength: 0, acceptNull: false }, { name: "order_code", require: true, type: "STRING", maxLength: 30 }],
  ...extra,
});

test("a usable template with its params, price and preview link", () => {
  const t = templateOf(info({ previewUrl: "https://account.zalo.cloud/znspreview/abc" }));
  expect(t).toMatchObject({ id: "231000", name: "Xác nhận đơn hàng", usable: true, price: "300", previewUrl: "https://account.zalo.cloud/znspreview/abc" });
  expect(t.params.map((p) => [p.name, p.required, p.maxLength])).toEqual([["customer_name", true, 30], ["order_code", true, 30]]);
});

test("a preview that is not a web address is not offered as a link", () => {
  expect(templateOf(info({ previewUrl: "javascript:alert(document.cookie)" })).previewUrl).toBeUndefined();
  expect(templateOf(info({ previewUrl: "data:text/html,<script>1</script>" })).previewUrl).toBeUndefined();
  expect(templateOf(info({ status: "PENDING_REVIEW" })).usable).toBe(false);
});
