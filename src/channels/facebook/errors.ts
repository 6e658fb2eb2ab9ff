// Graph API errors -> what the outbox does: retry with backoff, fail with a reason the agent can
// read (vi + en), or mark the channel as needing reconnection.
import type { SendResult } from "../../domain/message.ts";

export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

type Failure = Exclude<SendResult, { ok: true }>;

export function mapGraphError(status: number, err: GraphError | undefined, retryAfterMs?: number): Failure {
  const code = Number(err?.code);
  const said = err?.message ? ` (Facebook: ${err.message})` : "";
  if (code === 190) {
    return {
      ok: false, kind: "reconnect", code: "token_invalid",
      reason: `The Page access token is invalid or expired: reconnect the Facebook Page in Settings${said}`,
      reasonVi: "Mã truy cập của Trang không hợp lệ hoặc đã hết hạn: hãy kết nối lại Trang Facebook trong Cài đặt",
    };
  }
  if (code === 10 && Number(err?.error_subcode) === 2018278) {
    return {
      ok: false, kind: "failed", code: "outside_window",
      reason: `Facebook refused: the message is outside the allowed messaging window${said}`,
      reasonVi: "Facebook từ chối: tin nhắn nằm ngoài khung thời gian được phép nhắn",
    };
  }
  if (code === 551) {
    return {
      ok: false, kind: "failed", code: "person_unavailable",
      reason: `This person is not available on Messenger right now (blocked the Page or deactivated)${said}`,
      reasonVi: "Người này hiện không nhận được tin nhắn trên Messenger (đã chặn Trang hoặc khoá tài khoản)",
    };
  }
  if (code === 4 || code === 32 || code === 613 || status === 429) {
    return { ok: false, kind: "retry", reason: `Facebook rate limit reached${said}`, reasonVi: "Facebook đang giới hạn tốc độ gửi", afterMs: retryAfterMs };
  }
  if (status >= 500 || code === 1 || code === 2) {
    return { ok: false, kind: "retry", reason: `Facebook is temporarily unavailable (HTTP ${status})${said}`, reasonVi: `Facebook tạm thời không phản hồi (HTTP ${status})`, afterMs: retryAfterMs };
  }
  if (code === 100) {
    return {
      ok: false, kind: "failed", code: "invalid_parameter",
      reason: `Facebook rejected the message as invalid${said}`,
      reasonVi: "Facebook từ chối tin nhắn vì không hợp lệ",
    };
  }
  return {
    ok: false, kind: "failed", code: `graph_${Number.isFinite(code) ? code : status}`,
    reason: `Facebook refused the message (HTTP ${status}${Number.isFinite(code) ? `, code ${code}` : ""})${said}`,
    reasonVi: `Facebook từ chối tin nhắn (HTTP ${status}${Number.isFinite(code) ? `, mã ${code}` : ""})`,
  };
}

export function networkFailure(err: unknown): Failure {
  const what = String((err as Error)?.message ?? err);
  return { ok: false, kind: "retry", reason: `Could not reach Facebook: ${what}`, reasonVi: "Không kết nối được tới Facebook" };
}
