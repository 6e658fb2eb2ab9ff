// Zalo answers HTTP 200 with `error` < 0 on failure. Each code -> what the outbox does: retry with
// backoff, fail with a reason the agent can read (vi + en), or ask an admin to reconnect.
import type { SendResult } from "../../domain/message.ts";

export type Failure = Exclude<SendResult, { ok: true }>;

/** Token problems: refresh once and try again before giving up. */
export const TOKEN_ERRORS = new Set([-216, -220]);

export const OUTSIDE_WINDOW = {
  en: "Zalo only allows replies within 7 days of the customer's last interaction with the OA; wait for them to message again",
  vi: "Zalo chỉ cho phép trả lời trong vòng 7 ngày kể từ lần cuối khách tương tác với OA; hãy chờ khách nhắn lại",
};
export const NOT_FOLLOWER = {
  en: "This person does not follow the OA (or unfollowed it), so Zalo does not allow a reply",
  vi: "Người này chưa quan tâm OA (hoặc đã bỏ quan tâm) nên Zalo không cho phép trả lời",
};

export function mapZaloError(code: number, message: string | undefined): Failure {
  const said = message ? ` (Zalo ${code}: ${message})` : ` (Zalo ${code})`;
  switch (code) {
    case -230:
    case -232:
      return { ok: false, kind: "failed", code: "outside_window", reason: OUTSIDE_WINDOW.en + said, reasonVi: OUTSIDE_WINDOW.vi };
    case -213:
      return { ok: false, kind: "failed", code: "not_follower", reason: NOT_FOLLOWER.en + said, reasonVi: NOT_FOLLOWER.vi };
    case -227:
      return {
        ok: false, kind: "failed", code: "user_inactive",
        reason: `This person is banned or has been inactive on Zalo for more than 45 days${said}`,
        reasonVi: "Người này đã bị khoá hoặc không hoạt động trên Zalo hơn 45 ngày",
      };
    case -32:
      return { ok: false, kind: "retry", reason: `Zalo rate limit reached${said}`, reasonVi: "Zalo đang giới hạn tốc độ gửi; sẽ thử lại sau" };
    case -211:
      return { ok: false, kind: "retry", reason: `The OA is out of message quota; an admin should check the OA's plan${said}`, reasonVi: "OA đã hết hạn mức gửi tin; quản trị viên cần kiểm tra gói dịch vụ của OA" };
    case -216:
    case -220:
      return {
        ok: false, kind: "reconnect", code: "token_invalid",
        reason: `Zalo still refuses the access token after a refresh: reconnect the OA in Settings${said}`,
        reasonVi: "Zalo vẫn từ chối mã truy cập sau khi làm mới: hãy kết nối lại OA trong Cài đặt",
      };
    case -201:
      return { ok: false, kind: "failed", code: "invalid_parameter", reason: `Zalo rejected the message as invalid${said}`, reasonVi: "Zalo từ chối tin nhắn vì không hợp lệ" };
    default:
      return { ok: false, kind: "failed", code: `zalo_${code}`, reason: `Zalo refused the message${said}`, reasonVi: `Zalo từ chối tin nhắn (mã ${code})` };
  }
}

export function networkFailure(err: unknown): Failure {
  return { ok: false, kind: "retry", reason: `Could not reach Zalo: ${String((err as Error)?.message ?? err)}`, reasonVi: "Không kết nối được tới Zalo" };
}

export function httpFailure(status: number): Failure {
  if (status >= 500 || status === 429 || status === 408) return { ok: false, kind: "retry", reason: `Zalo answered HTTP ${status}`, reasonVi: `Zalo trả lời HTTP ${status}; sẽ thử lại sau` };
  return { ok: false, kind: "failed", code: `http_${status}`, reason: `Zalo answered HTTP ${status}`, reasonVi: `Zalo trả lời HTTP ${status}` };
}
