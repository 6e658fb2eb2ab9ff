// What a customer's message says to a survey waiting for their answer, and who is asked at all:
// the rules of src/domain/csat.ts on the messages Vietnamese shoppers actually send.
import { expect, test } from "bun:test";
import { readSurveyReply, surveyHold, surveyLanguage, DEFAULT_CSAT_SETTINGS, type SurveyCandidate } from "../src/domain/csat.ts";

test("a number from 1 to 5 rates, however it is written, with what follows as the comment", () => {
  expect(readSurveyReply("5")).toEqual({ kind: "rating", rating: 5, comment: null });
  expect(readSurveyReply(" 4 ")).toEqual({ kind: "rating", rating: 4, comment: null });
  expect(readSurveyReply("5 sao")).toEqual({ kind: "rating", rating: 5, comment: null });
  expect(readSurveyReply("4/5")).toEqual({ kind: "rating", rating: 4, comment: null });
  expect(readSurveyReply("5 ⭐")).toEqual({ kind: "rating", rating: 5, comment: null });
  expect(readSurveyReply("３")).toEqual({ kind: "rating", rating: 3, comment: null });
  expect(readSurveyReply("⭐⭐⭐⭐")).toEqual({ kind: "rating", rating: 4, comment: null });
  expect(readSurveyReply("4 - giao hàng hơi chậm")).toEqual({ kind: "rating", rating: 4, comment: "giao hàng hơi chậm" });
  expect(readSurveyReply("2, nhân viên trả lời chậm")).toEqual({ kind: "rating", rating: 2, comment: "nhân viên trả lời chậm" });
  expect(readSurveyReply("5 sao shop nhiệt tình")).toEqual({ kind: "rating", rating: 5, comment: "shop nhiệt tình" });
});

test("a bare number outside 1–5 is refused; a number with words after it is an order, not an answer", () => {
  expect(readSurveyReply("0")).toEqual({ kind: "out_of_range", value: "0" });
  expect(readSurveyReply("10")).toEqual({ kind: "out_of_range", value: "10" });
  expect(readSurveyReply("⭐⭐⭐⭐⭐⭐")).toEqual({ kind: "out_of_range", value: "6" });
  expect(readSurveyReply("10 cái nhé shop")).toBeNull();
  // "5 cái" orders five: it is a new question for an agent, not a rating that keeps the conversation closed.
  expect(readSurveyReply("5 cái nhé shop")).toBeNull();
  expect(readSurveyReply("2 size M")).toBeNull();
  expect(readSurveyReply("Shop ơi còn size M không?")).toBeNull();
  expect(readSurveyReply("")).toBeNull();
});

test("STOP and its Vietnamese forms, with or without diacritics, stop surveys", () => {
  for (const t of ["STOP", "stop", "Dừng", "dung lai", "Hủy", "huỷ", "Không nhận khảo sát", "ngừng gửi!"]) expect(readSurveyReply(t)).toEqual({ kind: "stop" });
  expect(readSurveyReply("không")).toBeNull();
});

const base: SurveyCandidate = {
  settings: { ...DEFAULT_CSAT_SETTINGS, enabled: true, minDaysBetween: 30 }, kindAsks: true, channelActive: true, status: "resolved",
  stopped: false, lastInboundAutomatic: false, agentReplied: true, lastSurveyAt: null, now: Date.parse("2026-12-04T10:00:00Z"),
};

test("who is asked: a resolved conversation an agent answered, of a team that asks, on a channel that can", () => {
  expect(surveyHold(base)).toBeNull();
  expect(surveyHold({ ...base, settings: null })).toBe("disabled");
  expect(surveyHold({ ...base, settings: { ...base.settings!, enabled: false } })).toBe("disabled");
  expect(surveyHold({ ...base, kindAsks: false })).toBe("channel_cannot_ask");
  expect(surveyHold({ ...base, channelActive: false })).toBe("channel_inactive");
  expect(surveyHold({ ...base, status: "open" })).toBe("not_resolved");
  expect(surveyHold({ ...base, newerOpen: true })).toBe("newer_conversation");
  expect(surveyHold({ ...base, stopped: true })).toBe("stopped");
  expect(surveyHold({ ...base, lastInboundAutomatic: true })).toBe("automatic");
  expect(surveyHold({ ...base, lastInboundAutomatic: null })).toBe("no_customer_message");
  expect(surveyHold({ ...base, agentReplied: false })).toBe("no_agent_reply");
  expect(surveyHold({ ...base, lastSurveyAt: base.now - 29 * 86400_000 })).toBe("recent_survey");
  expect(surveyHold({ ...base, lastSurveyAt: base.now - 31 * 86400_000 })).toBeNull();
  expect(surveyHold({ ...base, settings: { ...base.settings!, minDaysBetween: 0 }, lastSurveyAt: base.now - 1000 })).toBeNull();
});

test("the survey speaks the customer's language: English when they wrote English, else Vietnamese", () => {
  expect(surveyLanguage("Hi, where is my order?")).toBe("en");
  expect(surveyLanguage("Shop ơi đơn của em đâu rồi")).toBe("vi");
  expect(surveyLanguage("shop oi don cua em dau roi")).toBe("vi");
  expect(surveyLanguage(null)).toBe("vi");
});
