// POST /api/v1/channels/:id/inbound (interface.md): the body an integration posts, read the way
// the route reads it (readJson with apiInboundSchema, then the api channel's parse), in process.
// Each row names a recorded body from tests/fixtures/payloads/api and either the event it becomes
// or the refusal, in the API's error shape with the field at fault.
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { apiChannel, apiInboundSchema, type ApiConfig } from "../src/channels/api/index.ts";
import { readJson } from "../src/web/routes/api/input.ts";
import { toErrorResponse } from "../src/web/errors.ts";
import type { Channel } from "../src/channels/channel.ts";
import type { InboundEvent, InboundMessageEvent } from "../src/domain/message.ts";
import { recorded, recordedNames, recordedText } from "./fixtures/payloads/recorded.ts";

const channel = { id: 4, type: "api", name: "Website", status: "active", config: {} } as unknown as Channel<ApiConfig>;
const RECEIVED = new Date("2026-11-24T03:00:00Z");

/** The inbound route's reading of a body, up to the events it would hand to ingest. */
async function inbound(body: string): Promise<{ status: number; events?: InboundEvent[]; error?: { code: string; message: string; field?: string } }> {
  let events: InboundEvent[] | undefined;
  const app = new Hono();
  app.post("/inbound", async (c) => {
    const p = await readJson(c, apiInboundSchema);
    events = apiChannel.parse({ ...p, received_at: RECEIVED }, channel);
    return c.body(null, 202);
  });
  app.onError((err, c) => toErrorResponse(c, err, () => {}));
  const res = await app.request("/inbound", { method: "POST", headers: { "content-type": "application/json" }, body });
  return res.status === 202 ? { status: 202, events } : { status: res.status, ...(await res.json()) };
}

const message = (o: Partial<InboundMessageEvent>): InboundMessageEvent => ({
  kind: "message", channelId: 4, externalMessageId: "", direction: "in", contact: { externalId: "crm-42" },
  text: "", attachments: [], occurredAt: RECEIVED, ...o,
});

type Row = { payload: string; says: string } & ({ expected: InboundEvent[] } | { refused: { status: number; code: string; field: string } });

const rows: Row[] = [
  { payload: "minimal", says: "the three required fields make one incoming message",
    expected: [message({ externalMessageId: "web-1001", text: "Chào shop" })] },
  { payload: "full", says: "name, email and phone describe the contact",
    expected: [message({ externalMessageId: "web-1002", text: "Đơn #A123 giao chưa ạ?", contact: { externalId: "crm-42", name: "Nguyễn Thị Lan", email: "lan@khach.vn", phone: "0912345678" } })] },
  { payload: "extra-fields", says: "fields the contract does not name are ignored, not stored",
    expected: [message({ externalMessageId: "web-1003", text: "thêm trường lạ" })] },
  { payload: "empty-text", says: "an empty text is accepted as sent",
    expected: [message({ externalMessageId: "web-1004", text: "" })] },
  { payload: "missing-external-message-id", says: "without external_message_id a redelivery could not be recognised: refused",
    refused: { status: 422, code: "validation_failed", field: "external_message_id" } },
  { payload: "missing-contact", says: "a message from nobody is refused",
    refused: { status: 422, code: "validation_failed", field: "external_contact_id" } },
  { payload: "missing-text", says: "a message without text is refused",
    refused: { status: 422, code: "validation_failed", field: "text" } },
  { payload: "text-wrong-type", says: "a number where text belongs is refused",
    refused: { status: 422, code: "validation_failed", field: "text" } },
  { payload: "contact-id-number", says: "ids are strings; a number is refused, not guessed",
    refused: { status: 422, code: "validation_failed", field: "external_contact_id" } },
  { payload: "empty-contact-id", says: "an empty contact id is refused",
    refused: { status: 422, code: "validation_failed", field: "external_contact_id" } },
  { payload: "bad-email", says: "an email that is not one is refused",
    refused: { status: 422, code: "validation_failed", field: "email" } },
  { payload: "contact-id-too-long", says: "a contact id over 200 characters is refused",
    refused: { status: 422, code: "validation_failed", field: "external_contact_id" } },
  { payload: "array-body", says: "a list of messages is not the contract: refused",
    refused: { status: 422, code: "validation_failed", field: "body" } },
  { payload: "null-body", says: "null is refused",
    refused: { status: 422, code: "validation_failed", field: "body" } },
];

describe("API channel inbound: recorded bodies", () => {
  for (const row of rows) {
    test(`${row.payload}: ${row.says}`, async () => {
      const got = await inbound(recordedText("api", row.payload));
      if ("expected" in row) expect(got).toEqual({ status: 202, events: row.expected });
      else {
        expect(got.status).toBe(row.refused.status);
        expect(got.error).toMatchObject({ code: row.refused.code, field: row.refused.field });
        expect(got.error!.message).toStartWith(`${row.refused.field}: `);
      }
    });
  }
});

describe("API channel inbound: derived bodies", () => {
  const base = recorded("api", "minimal");
  test("a text of exactly 100 000 characters is kept whole", async () => {
    const text = "ư".repeat(100_000);
    expect(await inbound(JSON.stringify({ ...base, text }))).toEqual({ status: 202, events: [message({ externalMessageId: "web-1001", text })] });
  });
  test("a text of 100 001 characters is refused, naming text", async () => {
    const got = await inbound(JSON.stringify({ ...base, text: "ư".repeat(100_001) }));
    expect(got).toMatchObject({ status: 422, error: { code: "validation_failed", field: "text" } });
  });
  test("a body that is not JSON is refused as invalid_json", async () => {
    expect(await inbound("{\"external_contact_id\": \"crm-42\",")).toMatchObject({ status: 400, error: { code: "invalid_json" } });
  });
  test("an empty body is read as {} and refused for its first missing field", async () => {
    expect(await inbound("")).toMatchObject({ status: 422, error: { code: "validation_failed", field: "external_contact_id" } });
  });
  test("Vietnamese text keeps its diacritics byte for byte (NFC and NFD alike)", async () => {
    const nfd = "Đơn hàng".normalize("NFD");
    const got = await inbound(JSON.stringify({ ...base, text: nfd }));
    expect((got.events![0] as InboundMessageEvent).text).toBe(nfd);
  });
});

test("every recorded API body is named by a row", () => {
  const named = new Set(rows.map((r) => r.payload));
  expect(recordedNames("api").filter((n) => !named.has(n))).toEqual([]);
});
