// A provider template's params (a ZNS template's): filled from what Pano knows of the customer and
// the conversation, and checked against the template's own rules before anything is sent.
import type { MessageTemplate, TemplateParam } from "../channels/channel.ts";
import { foldVietnamese } from "./contact.ts";

/** What Pano knows to fill params with: the contact's name, phone, email and attributes, a message's fields (order_code). */
export type FillFacts = Record<string, string>;

// Param names templates commonly use for the same fact (Zalo's samples: customer_name, phone_number, order_code...).
const ALIASES: [RegExp, string][] = [
  [/^(customer_?name|customer_?full_?name|ten(_khach(_hang)?)?|ten_kh|ho_ten|full_?name|name)$/, "name"],
  [/^(customer_)?(phone(_number)?|sdt|so_dien_thoai|dien_thoai|mobile)$/, "phone"],
  [/^(customer_)?e?mail$/, "email"],
  [/^(order_?(code|id|no|number)|ma_don(_hang)?|don_hang|ma_dh)$/, "order_code"],
];

const keyOf = (name: string) => foldVietnamese(name).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");

/** The facts of a customer as fill facts: attributes by their own names, then name, phone, email. */
export function contactFacts(c: { name: string | null; phone: string | null; email: string | null; attributes: Record<string, unknown> }): FillFacts {
  const facts: FillFacts = {};
  for (const [k, v] of Object.entries(c.attributes)) if (v !== null && v !== undefined && typeof v !== "object") facts[keyOf(k)] = String(v);
  if (c.name) facts.name = c.name;
  if (c.phone) facts.phone = c.phone;
  if (c.email) facts.email = c.email;
  return facts;
}

/** Each param's value from the facts (exact name first, then a common alias), cut to its max length; "" when unknown. */
export function prefillParams(params: TemplateParam[], facts: FillFacts, given: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    if (given[p.name] !== undefined) {
      out[p.name] = given[p.name];
      continue;
    }
    const k = keyOf(p.name);
    const alias = ALIASES.find(([re]) => re.test(k))?.[1];
    const v = facts[k] ?? (alias ? facts[alias] : undefined) ?? "";
    out[p.name] = p.maxLength ? Array.from(v).slice(0, p.maxLength).join("") : v;
  }
  return out;
}

export interface ParamProblem {
  param: string;
  code: "param_required" | "param_too_long" | "param_too_short" | "param_not_number" | "param_not_date" | "param_unknown";
  vi: string;
  en: string;
}

const DATE = /^(0?[1-9]|[12]\d|3[01])\/(0?[1-9]|1[0-2])\/\d{4}$/;

/** The first param that breaks the template's rules, or null when the data may be sent. */
export function paramProblem(t: MessageTemplate, data: Record<string, string>): ParamProblem | null {
  for (const name of Object.keys(data)) {
    if (!t.params.some((p) => p.name === name)) return { param: name, code: "param_unknown", vi: `Mẫu không có tham số "${name}".`, en: `The template has no param "${name}".` };
  }
  for (const p of t.params) {
    const v = (data[p.name] ?? "").trim();
    const len = Array.from(v).length;
    if (!v) {
      if (p.required) return { param: p.name, code: "param_required", vi: `Hãy điền "${p.name}".`, en: `Fill in "${p.name}".` };
      continue;
    }
    if (p.maxLength && len > p.maxLength) return { param: p.name, code: "param_too_long", vi: `"${p.name}" dài quá ${p.maxLength} ký tự (${len}).`, en: `"${p.name}" is longer than ${p.maxLength} characters (${len}).` };
    if (len < p.minLength) return { param: p.name, code: "param_too_short", vi: `"${p.name}" cần ít nhất ${p.minLength} ký tự.`, en: `"${p.name}" needs at least ${p.minLength} characters.` };
    if ((p.type === "number" || p.type === "currency") && !/^-?\d+$/.test(v)) return { param: p.name, code: "param_not_number", vi: `"${p.name}" phải là số nguyên, viết liền (không dấu chấm, dấu phẩy).`, en: `"${p.name}" must be a whole number written without separators.` };
    if (p.type === "date" && !DATE.test(v)) return { param: p.name, code: "param_not_date", vi: `"${p.name}" phải là ngày dạng dd/mm/yyyy.`, en: `"${p.name}" must be a date as dd/mm/yyyy.` };
  }
  return null;
}
