// A suggested score per criterion, with its reason, from the OpenAI-compatible endpoint triage
// uses (PANO_LLM_URL, PANO_LLM_MODEL, PANO_LLM_API_KEY). Only a suggestion: the review screen
// shows it beside each criterion and a person accepts or changes it; nothing here is stored.
import { z } from "zod";
import type { Pano } from "../pano.ts";
import { PanoError } from "../domain/errors.ts";
import { endpointOf } from "./llm.ts";
import { scorecardById } from "../store/qa-scorecards.ts";
import { messagesAfter } from "../store/messages.ts";
import { userNames } from "../store/user-names.ts";
import type { Criterion } from "../domain/qa.ts";

export interface Suggestion { score: number | null; reason: string }

const TRANSCRIPT_CHARS = 12_000;
const completionSchema = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1) });
const answerSchema = z.object({ scores: z.record(z.string(), z.object({ score: z.number().int().nullable(), reason: z.string().max(1000) })) });

function prompt(criteria: Criterion[]): string {
  return [
    "You review how a shop's support agent handled a customer conversation (Vietnamese or English), for coaching.",
    "Score each criterion from 0 to its scale (higher is better), or null when it does not apply to this conversation.",
    "Give a one-sentence reason per criterion, in the conversation's language, quoting what the agent wrote where it helps.",
    "Criteria:",
    ...criteria.map((c) => `- id "${c.id}": ${c.name} (0 to ${c.scale})${c.guidance ? `: ${c.guidance}` : ""}`),
    'Answer with one JSON object and nothing else: {"scores": {"<criterion id>": {"score": <number or null>, "reason": "..."}}}',
  ].join("\n");
}

/** The public conversation as lines "Customer: ..." / "Agent Lan: ...", the newest part when it is long. */
function transcript(pano: Pano, conversationId: number): string {
  const db = pano.store.sqlite;
  const rows = messagesAfter(db, conversationId, 0, 500).filter((m) => !m.private && m.text);
  const names = userNames(db, rows.flatMap((m) => (m.author_type === "user" && m.author_id ? [m.author_id] : [])));
  const lines = rows.map((m) => `${m.direction === "in" ? "Customer" : m.author_type === "user" ? `Agent ${names.get(m.author_id ?? 0) ?? ""}`.trim() : "Automatic"}: ${m.text}`);
  return lines.join("\n").slice(-TRANSCRIPT_CHARS);
}

/** Suggestions keyed by criterion id; a criterion the answer left out or scored off its scale has none. */
export async function suggestScores(pano: Pano, conversationId: number, scorecardId: number): Promise<{ suggestions: Record<string, Suggestion> }> {
  const cfg = pano.config;
  if (!cfg.llmUrl) throw new PanoError("unavailable", "No language model is configured (PANO_LLM_URL)");
  const card = scorecardById(pano.store.sqlite, scorecardId);
  if (!card) throw new PanoError("validation_failed", `scorecard_id: no scorecard ${scorecardId}`, "scorecard_id");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cfg.llmApiKey) headers.authorization = `Bearer ${cfg.llmApiKey}`;
  const failed = (why: string) => {
    pano.log("warn", "qa suggestion failed", { reason: why.slice(0, 200) });
    return new PanoError("unavailable", "The language model did not give a usable suggestion; score it yourself or try again");
  };
  let content: string;
  try {
    const res = await pano.runtime.http(endpointOf(cfg.llmUrl), {
      method: "POST", headers, signal: AbortSignal.timeout(Math.max(cfg.llmTimeoutMs, 15_000)),
      body: JSON.stringify({
        model: cfg.llmModel ?? "default", temperature: 0, response_format: { type: "json_object" },
        messages: [{ role: "system", content: prompt(card.criteria) }, { role: "user", content: transcript(pano, conversationId) }],
      }),
    });
    if (!res.ok) throw failed(`HTTP ${res.status}`);
    const body = completionSchema.safeParse(await res.json().catch(() => null));
    if (!body.success) throw failed("bad response");
    content = body.data.choices[0].message.content;
  } catch (err) {
    throw err instanceof PanoError ? err : failed(String((err as Error)?.message ?? err));
  }
  let answer: z.infer<typeof answerSchema>;
  try {
    const parsed = answerSchema.safeParse(JSON.parse(content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "")));
    if (!parsed.success) throw failed(`bad answer: ${content}`);
    answer = parsed.data;
  } catch (err) {
    throw err instanceof PanoError ? err : failed(`not JSON: ${content}`);
  }
  const suggestions: Record<string, Suggestion> = {};
  for (const c of card.criteria) {
    const s = answer.scores[c.id];
    if (s && (s.score === null || (s.score >= 0 && s.score <= c.scale))) suggestions[c.id] = { score: s.score, reason: s.reason };
  }
  return { suggestions };
}
