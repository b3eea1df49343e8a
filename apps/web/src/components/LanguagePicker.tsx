import { useMemo, useState, type ReactNode } from 'react';
import { FieldError, FieldHint } from './forms';

/** ISO 639-1 codes offered, spoken by UK doctors and their families most often first, then the rest A–Z by name. */
const COMMON = [
  'en',
  'cy',
  'gd',
  'ga',
  'pl',
  'ur',
  'pa',
  'hi',
  'bn',
  'gu',
  'ar',
  'ro',
  'es',
  'pt',
  'it',
  'fr',
  'de',
  'zh',
  'ta',
  'ml',
  'te',
  'so',
  'tr',
  'fa',
  'el',
  'ru',
  'uk',
  'yo',
  'ig',
  'sw',
  'ne',
  'si',
  'tl',
  'ko',
  'ja',
  'nl',
  'hu',
  'cs',
  'bg',
  'lt',
];

const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;
/** "cy" → "Welsh" (the ISO name in English; the code itself when the browser has no name for it). */
export function languageName(code: string): string {
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Languages chosen from a list by name (stored as ISO 639-1 codes): a select
 * to add one, and each chosen one with a Remove button. The value is the codes
 * separated by commas, as the forms keep it.
 */
export function LanguagePicker({
  id,
  label,
  hint,
  value,
  onChange,
  error,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  onChange: (csv: string) => void;
  error?: string;
}) {
  const chosen = value
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
  const [pick, setPick] = useState('');
  const options = useMemo(() => {
    const rest = COMMON.slice(8).sort((a, b) => languageName(a).localeCompare(languageName(b)));
    return [...COMMON.slice(0, 8), ...rest];
  }, []);
  const set = (codes: string[]) => onChange([...new Set(codes)].join(', '));
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <FieldHint id={id} hint={hint} />
      <FieldError id={id} error={error} />
      {chosen.length > 0 && (
        <ul className="chosen-list" aria-label="Chosen languages">
          {chosen.map((c) => (
            <li key={c} className="chosen">
              {languageName(c)}
              <button
                type="button"
                className="link-button chosen__remove"
                onClick={() => set(chosen.filter((x) => x !== c))}
              >
                Remove<span className="visually-hidden"> {languageName(c)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="button-group button-group--tight">
        <select
          id={id}
          className="select"
          value={pick}
          onChange={(e) => setPick(e.target.value)}
          aria-describedby={hint ? `${id}-hint` : undefined}
        >
          <option value="">Choose a language</option>
          {options
            .filter((c) => !chosen.includes(c))
            .map((c) => (
              <option key={c} value={c}>
                {languageName(c)}
              </option>
            ))}
        </select>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={!pick}
          onClick={() => {
            if (pick) set([...chosen, pick]);
            setPick('');
          }}
        >
          Add language
        </button>
      </div>
    </div>
  );
}
