// The note composer's @mention list: teammates and teams whose names start with what was typed
// after "@" (folded: "@ngu" finds "Nguyễn"). notifications.js places it under the textarea.
import type { ViewContext } from "../context.ts";
import { notificationWords } from "../i18n/notifications.ts";

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
