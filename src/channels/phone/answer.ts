// The answer URL's SCCO (developer.stringee.com/docs/server/stringee-call-control-object): for a call
// to a shop number Stringee GETs answer_url?from=<caller>&to=<shop number>&uuid=<call>&fromInternal=false
// and runs the returned actions in order. Each "connect" rings one target until its timeout, then
// the next one runs: the sticky agent first, then the team's online agents, then the fallback.
import type { PhoneConfig } from "./config.ts";
import type { SwitchboardAgent } from "../channel.ts";

export interface SccoTarget {
  type: "internal" | "external";
  number: string;
}

const OWNER_RING_S = 20;
const TEAM_RING_S = 15;
const TEAM_TRIED = 3;

/** An agent's switchboard user: their phone_user_id, else their Pano email (then name the Stringee user so). */
export const agentUser = (a: { email: string; phoneUserId?: string | null }) => a.phoneUserId || a.email;

export function answerScco(
  caller: string,
  config: PhoneConfig,
  agents: { owner: SwitchboardAgent | null; team: SwitchboardAgent[] },
): unknown[] {
  const from = { type: "external", number: caller, alias: caller };
  const connect = (to: SccoTarget, timeout: number) => ({ action: "connect", from, to: { ...to, alias: to.number }, customData: "", timeout, maxConnectTime: -1, peerToPeerCall: false });
  const actions: unknown[] = [];
  const owner = agents.owner ? agentUser(agents.owner) : null;
  if (owner) actions.push(connect({ type: "internal", number: owner }, OWNER_RING_S));
  for (const a of agents.team.map(agentUser).filter((u) => u !== owner).slice(0, TEAM_TRIED)) actions.push(connect({ type: "internal", number: a }, TEAM_RING_S));
  if (config.fallback_user) actions.push(connect({ type: "internal", number: config.fallback_user }, 30));
  if (config.fallback_number) actions.push(connect({ type: "external", number: config.fallback_number }, 30));
  if (!actions.length) actions.push({ action: "talk", text: "Xin lỗi, hiện chưa có nhân viên trực. Chúng tôi sẽ gọi lại cho quý khách sớm nhất.", voice: "female", speed: 0 });
  return actions;
}
