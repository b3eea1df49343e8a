// Read out when the caller is in immediate danger. The API says the same when
// such an intake is recorded; this fixed text lets staff say it at once.
export const IMMEDIATE_DANGER_SCRIPT = [
  'This is not an emergency service.',
  'If you are in immediate danger or might act on thoughts of harming yourself, call 999 or go to A&E now.',
  'For urgent help that is not an emergency, contact NHS 111 (call 111 or use 111.nhs.uk) or your GP.',
];
