// SMTP outcomes -> the outbox's verdicts, with the server's own words, in English and Vietnamese.
// 4xx and network trouble are temporary (retry with backoff); 5xx is the server's final answer.
import type { SendResult } from "../../domain/message.ts";

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

const clip = (s: string) => s.replace(/\s+/g, " ").trim().slice(0, 300);

export function smtpVerdict(err: unknown): Extract<SendResult, { ok: false }> {
  const e = (err ?? {}) as SmtpError;
  const said = clip(e.response ?? e.message ?? String(err));
  const status = e.responseCode ?? 0;
  if (e.code === "EAUTH" || status === 535 || status === 534) {
    return {
      ok: false, kind: "reconnect", code: "smtp_auth_failed",
      reason: `The SMTP server refused the login; check the user and password (app password for Gmail): ${said}`,
      reasonVi: `Máy chủ SMTP từ chối đăng nhập; hãy kiểm tra tài khoản và mật khẩu (mật khẩu ứng dụng với Gmail): ${said}`,
    };
  }
  if (status >= 400 && status < 500) {
    return { ok: false, kind: "retry", reason: `The mail server is busy or deferred the message (${status}): ${said}`, reasonVi: `Máy chủ thư tạm thời chưa nhận thư (${status}): ${said}` };
  }
  if (status >= 500) {
    return {
      ok: false, kind: "failed", code: `smtp_${status}`,
      reason: `The mail server refused the message (${status}): ${said}`,
      reasonVi: `Máy chủ thư từ chối thư (${status}): ${said}`,
    };
  }
  if (e.code === "EENVELOPE") {
    return { ok: false, kind: "failed", code: "smtp_no_recipient", reason: `The message has no valid recipient: ${said}`, reasonVi: `Thư không có người nhận hợp lệ: ${said}` };
  }
  // ECONNECTION, ETIMEDOUT, ESOCKET, EDNS, a dropped connection: the server may be back soon.
  return { ok: false, kind: "retry", reason: `Could not reach the mail server (${e.code ?? "network"}): ${said}`, reasonVi: `Không kết nối được máy chủ thư (${e.code ?? "mạng"}): ${said}` };
}

export const NO_ADDRESS: Extract<SendResult, { ok: false }> = {
  ok: false, kind: "failed", code: "no_email_address",
  reason: "This contact has no email address to reply to",
  reasonVi: "Khách hàng này không có địa chỉ email để trả lời",
};
