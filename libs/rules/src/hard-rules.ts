import type { SupporterKind } from './sociable';

export type Service = 'peer_support' | 'counselling';

/** The hard rules decided from the profiles alone (no slot maths), in the contract's order. */
export type HardRuleCode =
  'wrong_service' | 'inactive' | 'conflict_of_interest' | 'at_capacity' | 'gender_preference' | 'language';

export const HARD_RULE_ORDER: readonly HardRuleCode[] = [
  'wrong_service',
  'inactive',
  'conflict_of_interest',
  'at_capacity',
  'gender_preference',
  'language',
];

export interface Violation {
  code: HardRuleCode;
  /** Plain words intake staff can read out on the call. */
  text: string;
}

/** What the rules need of the request: the service and the caller's side. */
export interface RuleRequest {
  service: Service;
  callerWorkplace?: string | null;
  supporterGender?: string | null;
  /** ISO 639-1 codes; the supporter passes with at least one. */
  languages?: string[] | null;
}

/** What the rules need of a supporter. `activeCases` undefined: not known here, the capacity rule is not applied. */
export interface RuleSupporter {
  kind: SupporterKind;
  active: boolean;
  workplaces: string[];
  maxActiveCases: number;
  activeCases?: number;
  gender?: string | null;
  languages: string[];
}

export const SERVICE_KIND: Record<Service, SupporterKind> = { peer_support: 'peer', counselling: 'counsellor' };

/**
 * Matching normalises the same few hundred names and codes (workplaces, specialties, genders, languages of a
 * thousand supporters) on every request: their normal forms are kept, up to a bound, rather than recomputed.
 */
const NORMAL_FORMS_KEPT = 5000;
const normalNames = new Map<string, string>();
const normalLanguages = new Map<string, string>();

function remembered(memo: Map<string, string>, key: string, normalise: (v: string) => string): string {
  let out = memo.get(key);
  if (out === undefined) {
    out = normalise(key);
    if (memo.size >= NORMAL_FORMS_KEPT) memo.clear();
    memo.set(key, out);
  }
  return out;
}

/** Trimmed, lower case, inner white space collapsed: for names typed by people. */
export function normName(value: string | null | undefined): string {
  if (!value) return '';
  return remembered(normalNames, value, (v) => v.trim().replace(/\s+/g, ' ').toLowerCase());
}

/** ISO 639-1 code, lower case; a regional tag ("en-GB") counts as its language. */
export function normLanguage(code: string): string {
  return remembered(normalLanguages, code, (c) => normName(c).split(/[-_]/)[0]);
}

/** A request normalised once (matching applies the rules to a thousand supporters per request). */
export interface PreparedRequest {
  kind: SupporterKind;
  workplace: string;
  gender: string;
  /** Normalised, without duplicates; empty when none were asked for. */
  languages: string[];
  /** Their names for staff ("Welsh, Polish"), built once. */
  languageNames: string;
}

export function prepareRequest(request: RuleRequest): PreparedRequest {
  const languages: string[] = [];
  for (const code of request.languages ?? []) {
    const c = normLanguage(code);
    if (c !== '' && !languages.includes(c)) languages.push(c);
  }
  return {
    kind: SERVICE_KIND[request.service],
    workplace: normName(request.callerWorkplace),
    gender: normName(request.supporterGender),
    languages,
    languageNames: languages.map(languageName).join(', '),
  };
}

/** The asked-for languages the supporter speaks, in the order asked. */
export function spokenLanguages(asked: PreparedRequest, supporter: Pick<RuleSupporter, 'languages'>): string[] {
  if (asked.languages.length === 0) return [];
  const spoken = supporter.languages.map(normLanguage);
  return asked.languages.filter((w) => spoken.includes(w));
}

/** Conflict of interest: the caller works at one of the supporter's workplaces (names compared as typed by people). */
export function worksTogether(callerWorkplace: string | null | undefined, workplaces: string[]): boolean {
  const w = normName(callerWorkplace);
  return w !== '' && workplaces.some((x) => normName(x) === w);
}

/** At capacity: active cases (not counting the intake at hand) have reached the supporter's limit. */
export function atCapacity(activeCases: number, maxActiveCases: number): boolean {
  return activeCases >= maxActiveCases;
}

/**
 * Every hard rule the supporter breaks for this request, in the contract's
 * order (HARD_RULE_ORDER); empty when it passes them all. Matching excludes
 * with all of them; assignment and booking refuse with the first. Capacity
 * only when `activeCases` is given; the preferences only when asked for.
 */
export function hardRuleViolations(request: RuleRequest | PreparedRequest, supporter: RuleSupporter): Violation[] {
  const asked = 'service' in request ? prepareRequest(request) : request;
  const out: Violation[] = [];
  if (supporter.kind !== asked.kind) {
    out.push({
      code: 'wrong_service',
      text: supporter.kind === 'peer' ? 'Offers peer support, not counselling' : 'Offers counselling, not peer support',
    });
  }
  if (!supporter.active) out.push({ code: 'inactive', text: 'Not taking new callers at the moment (inactive)' });
  if (asked.workplace !== '' && worksTogether(asked.workplace, supporter.workplaces)) {
    out.push({ code: 'conflict_of_interest', text: "Works at the caller's workplace" });
  }
  if (supporter.activeCases !== undefined && atCapacity(supporter.activeCases, supporter.maxActiveCases)) {
    out.push({
      code: 'at_capacity',
      text: `No free place: ${supporter.activeCases} of ${supporter.maxActiveCases} cases taken`,
    });
  }
  if (asked.gender !== '' && normName(supporter.gender) !== asked.gender) {
    out.push({ code: 'gender_preference', text: 'Not the gender the caller asked for' });
  }
  if (asked.languages.length > 0 && spokenLanguages(asked, supporter).length === 0) {
    out.push({ code: 'language', text: `Speaks none of the languages asked for (${asked.languageNames})` });
  }
  return out;
}

let languageNames: Intl.DisplayNames | null | undefined;
/** "cy" -> "Welsh" for staff; the bare code when the runtime has no name for it. */
export function languageName(code: string): string {
  if (languageNames === undefined) {
    try {
      languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
    } catch {
      languageNames = null;
    }
  }
  try {
    const found = languageNames?.of(code);
    return found && found.toLowerCase() !== code ? found : code;
  } catch {
    return code;
  }
}
