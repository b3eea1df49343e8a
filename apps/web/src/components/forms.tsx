import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { Problem } from '../api/client';


/** The error line under a field's label: read out with "Error:" first. */
export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p className="error-message" id={`${id}-error`}>
      <span className="visually-hidden">Error:</span> {error}
    </p>
  );
}

export function FieldHint({ id, hint }: { id: string; hint?: ReactNode }) {
  if (!hint) return null;
  return (
    <div className="hint" id={`${id}-hint`}>
      {hint}
    </div>
  );
}

export interface ErrorItem {
  /** id of the field the message is about (the summary links to it) */
  id?: string;
  text: string;
}

function focusField(id: string) {
  const el = document.getElementById(id);
  if (!el) return;
  // fieldsets: focus their first control
  const target = el.matches('input,select,textarea,button') ? el : el.querySelector<HTMLElement>('input,select,textarea,button');
  (target ?? el).focus();
  el.scrollIntoView({ block: 'center' });
}

/** GOV.UK-style error summary: focused when it appears, each message links to its field. */
export function ErrorSummary({ errors, title = 'There is a problem', focusKey }: { errors: ErrorItem[]; title?: string; /** focus only when this changes (default: whenever the messages change) */ focusKey?: string | number }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = focusKey !== undefined ? String(focusKey) : errors.map((e) => e.text).join('|');
  const has = errors.length > 0;
  useEffect(() => {
    if (has) ref.current?.focus();
  }, [key, has]);
  if (!errors.length) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      <ul className="error-summary__list">
        {errors.map((e, i) => (
          <li key={i}>
            {e.id ? (
              <a
                href={`#${e.id}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  focusField(e.id!);
                }}
              >
                {e.text}
              </a>
            ) : (
              e.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Turns a problem document into summary items. `fieldId` maps an API field
 * ("caller.phone", "weekly[0]") to a form control id; `label` to words.
 */
export function problemErrors(p: Problem, fieldId: (field: string) => string | undefined = () => undefined, label: (field: string) => string = (f) => f): ErrorItem[] {
  const items: ErrorItem[] = [];
  if (p.errors?.length) {
    if (p.code && p.code !== 'validation_failed' && p.detail) items.push({ id: fieldId(p.errors[0].field), text: p.detail });
    else for (const e of p.errors) items.push({ id: fieldId(e.field), text: `${label(e.field)}: ${e.message}` });
  } else {
    items.push({ text: p.detail || p.title || 'Something went wrong. Try again.' });
  }
  return items;
}

export function errorFor(errors: ErrorItem[], id: string): string | undefined {
  return errors.find((e) => e.id === id)?.text;
}

interface FieldShell {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
}

function Shell({ id, label, hint, error, className, children }: FieldShell & { children: ReactNode }) {
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}${className ? ` ${className}` : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <FieldHint id={id} hint={hint} />
      <FieldError id={id} error={error} />
      {children}
    </div>
  );
}

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function TextInput({ id, label, hint, error, className, width, ...rest }: FieldShell & { width?: 'short' | 'medium' } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <input
        id={id}
        name={id}
        className={`input${width ? ` input--${width}` : ''}${error ? ' input--error' : ''}`}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </Shell>
  );
}

export function Select({ id, label, hint, error, className, children, ...rest }: FieldShell & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <select id={id} name={id} className={`select${error ? ' input--error' : ''}`} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...rest}>
        {children}
      </select>
    </Shell>
  );
}

export function TextArea({ id, label, hint, error, className, ...rest }: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <textarea id={id} name={id} className={`textarea${error ? ' input--error' : ''}`} rows={3} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...rest} />
    </Shell>
  );
}

export interface Option<V extends string> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
}

/** A fieldset of radios; `id` goes on the fieldset so an error summary can link to it. */
export function Radios<V extends string>({
  id,
  legend,
  hint,
  error,
  options,
  value,
  onChange,
  inline,
  large,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: Option<V>[];
  value: V | '' | undefined;
  onChange: (v: V) => void;
  inline?: boolean;
  large?: boolean;
}) {
  const name = useId();
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" id={id} aria-describedby={describedBy(id, hint, error)}>
        <legend className={`fieldset__legend${large ? ' fieldset__legend--l' : ''}`}>{legend}</legend>
        <FieldHint id={id} hint={hint} />
        <FieldError id={id} error={error} />
        <div className={`radios${inline ? ' radios--inline' : ''}`}>
          {options.map((o, i) => (
            <div className="radios__item" key={o.value}>
              <input className="radios__input" type="radio" id={i === 0 ? `${id}-input` : `${id}-${o.value}`} name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
              <label className="radios__label" htmlFor={i === 0 ? `${id}-input` : `${id}-${o.value}`}>
                {o.label}
              </label>
              {o.hint && <div className="hint radios__hint">{o.hint}</div>}
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkbox({ id, label, hint, error, checked, onChange }: { id: string; label: ReactNode; hint?: ReactNode; error?: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <FieldError id={id} error={error} />
      <div className="checkboxes__item">
        <input className="checkboxes__input" type="checkbox" id={id} name={id} checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} />
        <label className="checkboxes__label" htmlFor={id}>
          {label}
        </label>
        {hint && (
          <div className="hint checkboxes__hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
      </div>
    </div>
  );
}

/** A group of checkboxes over a list of values. */
export function CheckboxGroup<V extends string | number>({ id, legend, hint, error, options, values, onChange, inline }: { id: string; legend: ReactNode; hint?: ReactNode; error?: string; options: { value: V; label: ReactNode }[]; values: V[]; onChange: (v: V[]) => void; inline?: boolean }) {
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" id={id} aria-describedby={describedBy(id, hint, error)}>
        <legend className="fieldset__legend">{legend}</legend>
        <FieldHint id={id} hint={hint} />
        <FieldError id={id} error={error} />
        <div className={`checkboxes${inline ? ' checkboxes--inline' : ''}`}>
          {options.map((o) => (
            <div className="checkboxes__item" key={String(o.value)}>
              <input
                className="checkboxes__input"
                type="checkbox"
                id={`${id}-${o.value}`}
                checked={values.includes(o.value)}
                onChange={(e) => onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))}
              />
              <label className="checkboxes__label" htmlFor={`${id}-${o.value}`}>
                {o.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
