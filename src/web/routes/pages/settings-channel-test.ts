// The "test connection" button: the channel kind's own testConnection, run on the values in the
// form (saved or not). A kind may word the outcome itself (ConnectionTest.say, one of its messages).
import type { Pano } from "../../../pano.ts";
import type { Channel } from "../../../channels/channel.ts";
import type { MessageKey, Translate } from "../../../../views/i18n/index.ts";
import { channelKind } from "../../../channels/registry.ts";

export interface TestOutcome {
  ok: boolean;
  message: string;
}

export async function testChannel(pano: Pano, channel: Channel, t: Translate): Promise<TestOutcome> {
  const kind = channelKind(channel.type);
  if (!kind.testConnection) return { ok: false, message: t("settings.channels.test_unavailable") };
  try {
    const r = await kind.testConnection(channel, pano.runtime);
    if (r.say) return { ok: r.ok, message: t(`${channel.type}.${r.say.key}` as MessageKey, r.say.vars) };
    return { ok: r.ok, message: t(r.ok ? "settings.channels.test_ok" : "settings.channels.test_failed", { detail: r.detail }) };
  } catch (err) {
    return { ok: false, message: t("settings.channels.test_failed", { detail: String((err as Error)?.message ?? err) }) };
  }
}
