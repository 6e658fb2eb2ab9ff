// Settings › Categories: the shop's own tags ("đổi trả", "bảo hành", "hỏi giá sỉ") with a few
// examples each, learned on the box and suggested on customer messages; a box to try a sentence.
import type { ViewContext } from "../context.ts";
import type { Category } from "../../src/store/categories.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Checkbox, FormError } from "./fields.tsx";

export interface CategoryForm { values: Record<string, string>; errors: Record<string, string>; formError?: string | null }
export interface CategoryTrial { text: string; scores: { tag: string; confidence: number; suggested: boolean }[] }

function CategoryFields(props: { ctx: ViewContext; form: CategoryForm }) {
  const { ctx, form } = props;
  return (
    <>
      <FormError message={form.formError} />
      <TextField name="tag" label={ctx.t("settings.categories.tag")} value={form.values.tag} required error={form.errors.tag} placeholder="bảo hành" />
      <TextArea name="examples" label={ctx.t("settings.categories.examples")} value={form.values.examples} rows={6} hint={ctx.t("settings.categories.examples_hint")} error={form.errors.examples} />
      <Checkbox name="from_labels" label={ctx.t("settings.categories.from_labels")} checked={form.values.from_labels !== "0"} hint={ctx.t("settings.categories.from_labels_hint")} />
    </>
  );
}

export function CategoriesPage(props: { ctx: ViewContext; categories: Category[]; form: CategoryForm; trial: CategoryTrial | null; notice?: string | null }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="categories" title={ctx.t("settings.categories.title")} notice={props.notice}>
      <p class="hint">{ctx.t("settings.categories.hint")}</p>
      {props.categories.length === 0 ? <p class="empty">{ctx.t("settings.categories.empty")}</p> : (
        <DataTable ctx={ctx} class="categories-table" columns={[ctx.t("settings.categories.tag"), ctx.t("settings.categories.examples"), ctx.t("settings.categories.from_labels")]}>
          {props.categories.map((c) => (
            <tr data-category-id={String(c.id)}>
              <td>{c.tag}</td>
              <td>{ctx.t("settings.categories.example_count", { n: c.examples.length })}</td>
              <td>{c.fromLabels ? ctx.t("common.yes") : ctx.t("common.no")}</td>
              <td class="row-actions">
                <a class="button" href={`/settings/categories/${c.id}`}>{ctx.t("common.edit")}</a>
                <ActionButton ctx={ctx} action={`/settings/categories/${c.id}/delete`} label={ctx.t("common.delete")} confirm={ctx.t("settings.confirm_delete")} danger />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="category-try-title">
        <h2 id="category-try-title">{ctx.t("settings.categories.try")}</h2>
        <form method="post" action="/settings/categories/try" class="settings-form">
          <Csrf ctx={ctx} />
          <TextArea name="text" label={ctx.t("settings.categories.try_text")} value={props.trial?.text ?? ""} rows={2} />
          <div class="form-actions"><button type="submit">{ctx.t("settings.categories.try_button")}</button></div>
        </form>
        {props.trial ? (
          props.trial.scores.length === 0 ? <p class="empty">{ctx.t("settings.categories.none_learned")}</p> : (
            <ul class="category-scores" aria-live="polite">
              {props.trial.scores.map((s) => (
                <li class={s.suggested ? "suggested" : "muted"}>{s.tag}: {Math.round(s.confidence * 100)}%{s.suggested ? ` · ${ctx.t("settings.categories.would_suggest")}` : ""}</li>
              ))}
            </ul>
          )
        ) : null}
      </section>
      <section aria-labelledby="category-add-title">
        <h2 id="category-add-title">{ctx.t("settings.categories.add")}</h2>
        <form method="post" action="/settings/categories" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <CategoryFields ctx={ctx} form={props.form} />
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("settings.categories.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

export function CategoryEditPage(props: { ctx: ViewContext; id: number; form: CategoryForm }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="categories" title={ctx.t("settings.categories.edit")}>
      <form method="post" action={`/settings/categories/${props.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <CategoryFields ctx={ctx} form={props.form} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/categories">{ctx.t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}
