// The note composer's @mention list: teammates and teams whose names start with what was typed
// after "@" (folded: "@ngu" finds "Nguyễn"). notifications.js places it under the textarea. And a
// note's text with its mentions marked, as the timeline shows it.
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import { notificationWords } from "../i18n/notifications.ts";
import { mentionSpans, type Mentionable } from "../../src/domain/mention.ts";

export interface MentionOption {
  kind: "user" | "team";
  id: number;
  name: string;
  email: string | null;
}

export function MentionList(props: { ctx: ViewContext; options: MentionOption[] }) {
  const t = notificationWords(props.ctx.lang);
  return (
    <ul id="mention-list" class="mention-list" role="listbox" aria-label={t("mention.list")}>
      {props.options.map((o, i) => (
        <li role="option" id={`mention-${o.kind}-${o.id}`} aria-selected={i === 0 ? "true" : "false"} data-name={o.name} data-kind={o.kind}>
          <strong>{o.name}</strong> <small class="muted">{o.kind === "team" ? t("mention.team") : o.email}</small>
        </li>
      ))}
    </ul>
  );
}

/** The note's text (composed form) with each "@Name" it mentions marked. */
export function NoteText(props: { text: string; mentionable: Mentionable[] }) {
  const text = props.text.normalize("NFC");
  const spans = mentionSpans(text, props.mentionable);
  if (!spans.length) return <>{props.text}</>;
  const parts: Child[] = [];
  let at = 0;
  for (const s of spans) {
    parts.push(text.slice(at, s.start), <mark class="note-mention">{text.slice(s.start, s.end)}</mark>);
    at = s.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
