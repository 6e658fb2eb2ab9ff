// Form fields with their label, hint and the error for that field right beside them.
import type { Child } from "hono/jsx";

const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

function Frame(props: { name: string; label: string; hint?: string; error?: string; children?: Child }) {
  const id = fieldId(props.name);
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      {props.children}
      {props.hint ? <small class="hint" id={`${id}-hint`}>{props.hint}</small> : null}
      {props.error ? <small class="field-error" id={`${id}-error`} role="alert">{props.error}</small> : null}
    </div>
  );
}

const described = (p: { name: string; hint?: string; error?: string }) =>
  [p.hint ? `${fieldId(p.name)}-hint` : "", p.error ? `${fieldId(p.name)}-error` : ""].filter(Boolean).join(" ") || undefined;

export function TextField(props: {
  name: string; label: string; value?: string | number | null; type?: string; hint?: string; error?: string;
  required?: boolean; placeholder?: string; autocomplete?: string; min?: number; max?: number;
}) {
  return (
    <Frame {...props}>
      <input
        id={fieldId(props.name)} name={props.name} type={props.type ?? "text"} value={props.value ?? ""} required={props.required}
        placeholder={props.placeholder} autocomplete={props.autocomplete ?? "off"} min={props.min} max={props.max}
        aria-invalid={props.error ? "true" : undefined} aria-describedby={described(props)}
      />
    </Frame>
  );
}

export function TextArea(props: { name: string; label: string; value?: string; hint?: string; error?: string; required?: boolean; rows?: number }) {
  return (
    <Frame {...props}>
      <textarea id={fieldId(props.name)} name={props.name} rows={props.rows ?? 4} required={props.required} aria-invalid={props.error ? "true" : undefined} aria-describedby={described(props)}>
        {props.value ?? ""}
      </textarea>
    </Frame>
  );
}

export function Select(props: { name: string; label: string; value?: string | null; options: { value: string; label: string }[]; hint?: string; error?: string }) {
  return (
    <Frame {...props}>
      <select id={fieldId(props.name)} name={props.name} aria-invalid={props.error ? "true" : undefined} aria-describedby={described(props)}>
        {props.options.map((o) => <option value={o.value} selected={o.value === (props.value ?? "")}>{o.label}</option>)}
      </select>
    </Frame>
  );
}

export function Checkbox(props: { name: string; label: string; checked?: boolean; hint?: string; error?: string }) {
  const id = fieldId(props.name);
  return (
    <div class={props.error ? "field field-check has-error" : "field field-check"}>
      <input type="hidden" name={props.name} value="false" />
      <input id={id} type="checkbox" name={props.name} value="true" checked={props.checked} />
      <label for={id}>{props.label}</label>
      {props.hint ? <small class="hint">{props.hint}</small> : null}
      {props.error ? <small class="field-error" role="alert">{props.error}</small> : null}
    </div>
  );
}

/** Several choices under one name (team membership). */
export function CheckboxGroup(props: { name: string; legend: string; options: { value: string; label: string }[]; checked: string[]; error?: string }) {
  return (
    <fieldset class={props.error ? "field checkbox-group has-error" : "field checkbox-group"}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label class="check">
          <input type="checkbox" name={props.name} value={o.value} checked={props.checked.includes(o.value)} /> {o.label}
        </label>
      ))}
      {props.error ? <small class="field-error" role="alert">{props.error}</small> : null}
    </fieldset>
  );
}

export const FormError = (props: { message?: string | null }) => (props.message ? <p class="form-error" role="alert">{props.message}</p> : null);
