import type { FieldError } from './domain-error';

/**
 * Text the service accepts, checked on every string of a request before any
 * validator sees it. A NUL makes PostgreSQL fail the whole statement (22021),
 * a lone UTF-16 surrogate makes validator.js throw and cannot be stored as
 * UTF-8, and other control characters have no business in names, numbers or
 * notes (they hide text in logs and e-mails). Tab, line feed and carriage
 * return are allowed only in free-text fields (marked with @FreeText()).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How deep a JSON body may nest: our deepest DTO is 3 levels; validators recurse per level. */
export const MAX_JSON_DEPTH = 32;

/**
 * Property names whose strings may hold tabs and line breaks. A name, not a
 * class and property, because the check runs on the raw body before routing
 * (so before Nest knows the DTO); every free-text field of every DTO is one
 * of these (`message`, `reason`, `comment`, …).
 */
const FREE_TEXT_FIELDS = new Set<string>();

/** Marks a DTO field as free text: tabs and line breaks allowed (other control characters never are). */
export function FreeText(): PropertyDecorator {
  return (_target, propertyName) => {
    FREE_TEXT_FIELDS.add(String(propertyName));
  };
}

export function isFreeTextField(name: string): boolean {
  return FREE_TEXT_FIELDS.has(name);
}

// Everything the checks below look for, in one class: most strings hold none of it and are passed by one test.
// eslint-disable-next-line no-control-regex -- as above
const SUSPECT = /[\u0000-\u001F\u007F-\u009F\uD800-\uDFFF]/;

/** Why a string is refused, or null when it is acceptable text. */
export function textProblem(value: string, freeText: boolean): string | null {
  if (!SUSPECT.test(value)) return null;
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (!freeText && LINE_BREAK_OR_TAB.test(value)) return 'must be a single line (no tabs or line breaks)';
  return null;
}

/**
 * Walks a parsed JSON body (or a query object): every string value and every
 * key must be acceptable text, and nothing may nest deeper than `maxDepth`.
 * Returns one entry per bad field, named as the validation errors are
 * ("caller.name", "weekly[0].start"); at most `limit` of them.
 */
export function hostileTextProblems(value: unknown, maxDepth = MAX_JSON_DEPTH, limit = 20): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, path: string, key: string, depth: number): void => {
    if (out.length >= limit) return;
    if (typeof v === 'string') {
      const problem = textProblem(v, isFreeTextField(key));
      if (problem) out.push({ field: path || '(body)', message: problem });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= maxDepth) {
      out.push({ field: path || '(body)', message: `nests deeper than ${maxDepth} levels` });
      return;
    }
    if (Array.isArray(v)) {
      // an array's items belong to the field that holds it ("languages[0]" is a "languages" item)
      for (let i = 0; i < v.length && out.length < limit; i++) walk(v[i], `${path}[${i}]`, key, depth + 1);
      return;
    }
    for (const k of Object.keys(v)) {
      if (out.length >= limit) return;
      const child = path ? `${path}.${k}` : k;
      // a bad key is not echoed back: it is not a field of ours either way
      if (textProblem(k, false)) {
        out.push({ field: path || '(body)', message: 'holds a field name that is not plain text' });
        continue;
      }
      walk((v as Record<string, unknown>)[k], child, k, depth + 1);
    }
  };
  walk(value, '', '', 0);
  return out;
}
