// Macros in the inbox: the composer's button, the picker (a dialog with a filter; public/macros.js
// opens it from the button, "m" or Ctrl+K and fetches the list), and what the server answers into it.
import type { ViewContext } from "../context.ts";
import type { MacroAction } from "../../src/domain/macro.ts";
import type { Refusal } from "../../src/web/macro-run.ts";
import { Icon } from "../layout.tsx";
import { describeAction, type Names } from "../macros/summary.ts";

export function MacroButton(props: { ctx: ViewContext }) {
  return (
    <button type="button" class="macro-button" data-macros-open="" aria-haspopup="dialog" aria-controls="macro-picker" aria-keyshortcuts="m Control+K" title={props.ctx.t("keys.macros")}>
      <Icon name="bolt" /> <span>{props.ctx.t("macro.button")}</span>
    </button>
  );
}

export function MacroPicker(props: { ctx: ViewContext; conversationId: number }) {
  const t = props.ctx.t;
  return (
    <dialog id="macro-picker" class="macro-picker" aria-labelledby="macro-picker-h" data-list={`/conversations/${props.conversationId}/macros`} data-done={t("macro.done")}>
      <h2 id="macro-picker-h">{t("macro.title")}</h2>
      <label for="macro-filter" class="visually-hidden">{t("macro.filter")}</label>
      <input id="macro-filter" type="search" autocomplete="off" placeholder={t("macro.filter")} data-macro-filter=""
        role="combobox" aria-expanded="true" aria-controls="macro-list" aria-autocomplete="list" />
      <div id="macro-ask" class="macro-ask" aria-live="assertive"></div>
      <ul id="macro-list" class="macro-list" role="listbox" aria-label={t("macro.title")}></ul>
      <p class="empty" data-macro-none="" hidden>{t("macro.no_match")}</p>
      <div class="macro-foot">
        <a href="/settings/macros">{t("macro.manage")}</a>
        <form method="dialog"><button type="submit">{t("common.close")}</button></form>
      </div>
    </dialog>
  );
}

export interface MacroItem {
  id: number;
  name: string;
  actions: MacroAction[];
}

/** The list the picker shows; each item runs its macro on this conversation. */
export function MacroList(props: { ctx: ViewContext; conversationId: number; macros: MacroItem[]; names: Names }) {
  const { ctx } = props;
  if (!props.macros.length) return <li class="empty" role="presentation">{ctx.t("macro.none")}</li>;
  return (
    <>
      {props.macros.map((m) => {
        const summary = m.actions.map((a) => describeAction(ctx.t, a, props.names)).join(" · ");
        return (
          <li role="option" id={`macro-${m.id}`} aria-selected="false" data-macro={String(m.id)} data-name={m.name}
            hx-post={`/conversations/${props.conversationId}/macros/${m.id}`} hx-target="#macro-ask" hx-swap="innerHTML" hx-trigger="pano:run">
            <strong>{m.name}</strong>
            <small class="muted">{summary}</small>
          </li>
        );
      })}
    </>
  );
}

/** A reply with variables this conversation has no value for: run it without them, or not. */
export function MacroMissing(props: { ctx: ViewContext; conversationId: number; macro: { id: number; name: string }; missing: string[] }) {
  const { ctx } = props;
  return (
    <div class="ask" role="alertdialog" aria-label={ctx.t("macro.run_anyway")}>
      <p>{ctx.t("macro.missing_ask", { name: props.macro.name, names: props.missing.map((n) => `{{${n}}}`).join(", ") })}</p>
      <button type="button" class="primary" data-macro-confirm="" hx-post={`/conversations/${props.conversationId}/macros/${props.macro.id}`} hx-vals='{"confirm":"1"}' hx-target="#macro-ask" hx-swap="innerHTML">
        {ctx.t("macro.run_anyway")}
      </button>
    </div>
  );
}

export function MacroRefused(props: { ctx: ViewContext; r: Refusal }) {
  const { ctx, r } = props;
  const vars = r.reason ? { ...r.vars, reason: r.reason[ctx.lang] } : r.vars;
  return <p role="alert" class="form-error">{ctx.t(r.key, vars)}</p>;
}
