/** What staff read out, and what the web form shows, when a caller cannot wait for us. */
export const SIGNPOSTING_IMMEDIATE_DANGER =
  'This is not an emergency service. If you are in immediate danger or might act on thoughts of harming yourself, ' +
  'call 999 or go to A&E now. For urgent help that is not an emergency, contact NHS 111 (call 111 or use 111.nhs.uk) ' +
  'or your GP.';

export const SIGNPOSTING_GMC =
  'If you are under GMC investigation, the Doctor Support Service offers confidential emotional support to doctors ' +
  'going through a fitness to practise process.';

export interface Signposting {
  immediateDanger?: string;
  gmcInvestigation?: string;
  /** Plain text of everything above, in order, for reading out. */
  text: string;
}

export function signpostingFor(immediateDanger: boolean, gmcInvestigation: boolean): Signposting | undefined {
  if (!immediateDanger && !gmcInvestigation) return undefined;
  const s: Signposting = { text: '' };
  if (immediateDanger) s.immediateDanger = SIGNPOSTING_IMMEDIATE_DANGER;
  if (gmcInvestigation) s.gmcInvestigation = SIGNPOSTING_GMC;
  s.text = [s.immediateDanger, s.gmcInvestigation].filter(Boolean).join(' ');
  return s;
}
