// What every satisfaction-survey story does: a team that asks, an agent of it who handles a
// conversation (assigned, one reply, resolved), and reading back the survey and the report.
import { eventually, type PanoProcess } from "./pano.ts";

export interface SurveyTeam { teamId: string; agentId: string }

/** A team whose only member is the admin (the tests' token), with surveys set as given. */
export async function surveyTeam(pano: PanoProcess, name: string, csat: Record<string, unknown> = {}, team: Record<string, unknown> = {}): Promise<SurveyTeam> {
  const admin = (await pano.json("/api/v1/users")).data.find((u: any) => u.role === "admin");
  const t = await pano.json("/api/v1/teams", { method: "POST", json: { name, member_ids: [admin.id], ...team } });
  await pano.json(`/api/v1/teams/${t.id}/csat`, { method: "PATCH", json: { enabled: true, delay_minutes: 0, ...csat } });
  return { teamId: t.id, agentId: admin.id };
}

/** The agent takes the conversation, answers once (sent), and resolves it. */
export async function handleAndResolve(pano: PanoProcess, t: SurveyTeam, conversationId: string, text = "Dạ shop đã kiểm tra, đơn của chị giao ngày mai ạ."): Promise<void> {
  await pano.json(`/api/v1/conversations/${conversationId}`, { method: "PATCH", json: { team_id: t.teamId, assignee_id: t.agentId } });
  const reply = await pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text } });
  await eventually(async () => {
    const m = (await pano.json(`/api/v1/conversations/${conversationId}/messages?limit=100`)).data.find((x: any) => x.id === reply.id);
    return m?.status === "sent" || m?.status === "delivered" || m?.status === "read";
  }, 15_000, "the agent's reply to be sent");
  await pano.json(`/api/v1/conversations/${conversationId}`, { method: "PATCH", json: { status: "resolved" } });
}

export const surveyOf = (pano: PanoProcess, conversationId: string) => pano.json(`/api/v1/conversations/${conversationId}/csat`);

/** Waits until the conversation's survey went out (its message sent), and returns it. */
export async function surveySent(pano: PanoProcess, conversationId: string, ms = 15_000): Promise<{ survey: any; message: any }> {
  return eventually(async () => {
    const s = await surveyOf(pano, conversationId);
    if (!s.survey?.message_id) return null;
    const m = (await pano.json(`/api/v1/conversations/${conversationId}/messages?limit=100`)).data.find((x: any) => x.id === s.survey.message_id);
    return m && m.status !== "queued" ? { survey: s.survey, message: m } : null;
  }, ms, "the survey to go out");
}

/** Waits until the conversation's rating is `rating`. */
export const ratedAs = (pano: PanoProcess, conversationId: string, rating: number, ms = 10_000) =>
  eventually(async () => {
    const s = await surveyOf(pano, conversationId);
    return s.rating === rating ? s : null;
  }, ms, `the rating to be ${rating}`);

/** The report's summary over the last day (and a minute ahead, so what just happened counts). */
export function summaryNow(pano: PanoProcess, q = "") {
  const to = new Date(Date.now() + 60_000).toISOString();
  const from = new Date(Date.now() - 86400_000).toISOString();
  return pano.json(`/api/v1/reports/summary?from=${from}&to=${to}${q}`);
}

/** The customer's newest conversation (a new one opens after the team's reopen window). */
export async function newestConversation(pano: PanoProcess, contactId: string, after = "0", ms = 10_000): Promise<string> {
  return eventually(async () => {
    const c = await pano.json(`/api/v1/contacts/${contactId}`);
    const newest = (c.conversation_ids as string[]).map(Number).sort((a, b) => b - a)[0];
    return newest > Number(after) ? String(newest) : null;
  }, ms, "a new conversation");
}
