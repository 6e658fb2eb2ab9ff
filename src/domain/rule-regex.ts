// A routing rule's regular expression meets every inbound message, and the customer writes the
// message. So it runs on RE2 (re2js, a pure-JavaScript port), whose time grows linearly with the
// text: on a backtracking engine a harmless-looking "(a|a)*$" takes hours on a crafted message.
// RE2 has no back-references or lookaround; a pattern using them is refused when it is saved.
import { RE2JS } from "re2js";

export interface RuleRegex {
  /** The first match in the message's first REGEX_WINDOW characters, or null. */
  firstMatch(text: string): string | null;
}
export interface RegexProblem { en: string; vi: string }

/** RE2's work grows with text length times pattern size: only the start of a message is looked at. */
const REGEX_WINDOW = 2000;

// JavaScript's \s also matches no-break and other Unicode spaces (pasted Vietnamese text has
// them); RE2's is ASCII only. Rules were written against JavaScript's meaning, so it is kept.
const SPACE = "\\t\\n\\x{B}\\f\\r\\p{Z}\\x{FEFF}";

type Unsupported = "backreference" | "lookahead" | "lookbehind";
const UNSUPPORTED: Record<Unsupported, RegexProblem> = {
  backreference: { en: "back-references such as \\1 or \\k<name>", vi: "tham chiếu ngược như \\1 hay \\k<tên>" },
  lookahead: { en: "lookahead (?=…) or (?!…)", vi: "nhìn trước (?=…) hay (?!…)" },
  lookbehind: { en: "lookbehind (?<=…) or (?<!…)", vi: "nhìn sau (?<=…) hay (?<!…)" },
};
const notSupported = (what: RegexProblem): RegexProblem => ({
  en: `RE2, the linear-time engine Pano matches rules with, does not support ${what.en}; write the pattern without it`,
  vi: `RE2, bộ máy so khớp thời gian tuyến tính mà Pano dùng cho quy tắc, không hỗ trợ ${what.vi}; hãy viết lại biểu thức không dùng cú pháp này`,
});

/** The pattern in RE2's dialect (JavaScript's \s and \u escapes), and the first backtracking-only construct in it. */
function toRe2(pattern: string): { source: string; unsupported: Unsupported | null } {
  let source = "";
  let unsupported: Unsupported | null = null;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      const code = /^u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]+)\})/.exec(pattern.slice(i + 1));
      if (code) {
        source += `\\x{${code[1] ?? code[2]}}`;
        i += code[0].length;
        continue;
      }
      if (next === "s") source += inClass ? SPACE : `[${SPACE}]`;
      else if (next === "S" && !inClass) source += `[^${SPACE}]`;
      else {
        if (!inClass && /[1-9k]/.test(next)) unsupported ??= "backreference";
        source += ch + next;
      }
      i++;
      continue;
    }
    if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(" && pattern[i + 1] === "?") {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind[0] === "=" || kind[0] === "!") unsupported ??= "lookahead";
      else if (kind === "<=" || kind === "<!") unsupported ??= "lookbehind";
    }
    source += ch;
  }
  return { source, unsupported };
}

/** Why RE2 cannot take the pattern: a construct it lacks, or the pattern is not valid at all. */
function whyNot(pattern: string, unsupported: Unsupported | null, err: unknown): RegexProblem {
  if (unsupported) return notSupported(UNSUPPORTED[unsupported]);
  // RE2 spells case-insensitivity as a (?i) prefix, which the admin never wrote.
  const why = String((err as Error)?.message ?? err).replace(/^error parsing regexp: /, "").replace("`(?i)", "`");
  let validInJavaScript = true;
  try {
    new RegExp(pattern, "iu");
  } catch {
    validInJavaScript = false;
  }
  if (validInJavaScript) return notSupported({ en: `this syntax (${why})`, vi: `cú pháp này (${why})` });
  return { en: `invalid regular expression: ${why}`, vi: `biểu thức chính quy không hợp lệ: ${why}` };
}

// Compiled once per pattern, not per message: rules are few and read for every message.
const compiled = new Map<string, RuleRegex | RegexProblem>();

/** Case-insensitive with Unicode case folding (Đ matches đ), as rules have always been. */
export function compileRuleRegex(pattern: string): RuleRegex | RegexProblem {
  let re = compiled.get(pattern);
  if (re) return re;
  const { source, unsupported } = toRe2(pattern);
  try {
    const engine = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    re = {
      firstMatch(text) {
        const m = engine.matcher(text.slice(0, REGEX_WINDOW));
        return m.find() ? (m.group() ?? "") : null;
      },
    };
  } catch (err) {
    re = whyNot(pattern, unsupported, err);
  }
  if (compiled.size > 500) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

/** What is wrong with a rule's pattern, found at save time so message time never meets it. null when fine. */
export function regexProblem(pattern: string): RegexProblem | null {
  const re = compileRuleRegex(pattern);
  return "firstMatch" in re ? null : re;
}
