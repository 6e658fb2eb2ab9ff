// The "?" overlay: every keyboard shortcut of the inbox, in the agent's language.
import type { ViewContext } from "../context.ts";
import type { MacroKey, MessageKey } from "../i18n/index.ts";

const KEYS: [string, MessageKey | MacroKey][] = [
  ["j / k", "keys.move"],
  ["Enter", "keys.open"],
  ["r", "keys.reply"],
  ["n", "keys.note"],
  ["e", "keys.resolve"],
  ["a", "keys.assign"],
  ["m / Ctrl+K", "keys.macros"],
  ["/", "keys.search"],
  ["Esc", "keys.escape"],
  ["?", "keys.help"],
];

export function Shortcuts(props: { ctx: ViewContext }) {
  const t = props.ctx.t;
  return (
    <dialog id="shortcuts" aria-labelledby="shortcuts-h">
      <h2 id="shortcuts-h">{t("nav.shortcuts")}</h2>
      <table>
        <tbody>
          {KEYS.map(([k, label]) => (
            <tr>
              <td><kbd>{k}</kbd></td>
              <td>{t(label)}</td>
            </tr>
          ))}
          <tr>
            <td><kbd>Enter</kbd> / <kbd>Shift</kbd>+<kbd>Enter</kbd></td>
            <td>{t("keys.composer")}</td>
          </tr>
        </tbody>
      </table>
      <form method="dialog"><button type="submit">{t("common.close")}</button></form>
    </dialog>
  );
}
