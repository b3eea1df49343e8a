import {
  atCapacity,
  hardRuleViolations,
  prepareRequest,
  RuleRequest,
  RuleSupporter,
  spokenLanguages,
  worksTogether,
} from './hard-rules';

const peer: RuleSupporter = {
  kind: 'peer',
  active: true,
  workplaces: ['St Elsewhere Hospital'],
  maxActiveCases: 3,
  activeCases: 0,
  gender: 'Female',
  languages: ['en', 'cy'],
};
const ask: RuleRequest = { service: 'peer_support' };
const codes = (r: RuleRequest, s: Partial<RuleSupporter>) =>
  hardRuleViolations(r, { ...peer, ...s }).map((v) => v.code);

describe('hardRuleViolations', () => {
  it.each([
    ['passes everything', ask, {}, []],
    ['wrong service: a peer for counselling', { service: 'counselling' }, {}, ['wrong_service']],
    ['wrong service: a counsellor for peer support', ask, { kind: 'counsellor' }, ['wrong_service']],
    ['inactive', ask, { active: false }, ['inactive']],
    [
      'conflict of interest, names as typed by people',
      { ...ask, callerWorkplace: '  st  elsewhere HOSPITAL ' },
      {},
      ['conflict_of_interest'],
    ],
    ['no workplace given: no conflict', { ...ask, callerWorkplace: '' }, {}, []],
    ['at capacity: active cases reached the limit', ask, { activeCases: 3 }, ['at_capacity']],
    ['one place left', ask, { activeCases: 2 }, []],
    ['capacity not known here: not applied', ask, { activeCases: undefined }, []],
    ['gender, without regard to case', { ...ask, supporterGender: 'female' }, {}, []],
    ['gender not as asked', { ...ask, supporterGender: 'male' }, {}, ['gender_preference']],
    [
      'gender asked, supporter did not say',
      { ...ask, supporterGender: 'male' },
      { gender: null },
      ['gender_preference'],
    ],
    ['one of the languages is enough', { ...ask, languages: ['pl', 'CY'] }, {}, []],
    ['a regional tag counts as its language', { ...ask, languages: ['en-GB'] }, {}, []],
    ['none of the languages', { ...ask, languages: ['pl'] }, {}, ['language']],
    ['empty preferences bind nothing', { ...ask, languages: [], supporterGender: '' }, {}, []],
    [
      'every rule at once, in the contract order',
      { service: 'counselling', callerWorkplace: 'St Elsewhere Hospital', supporterGender: 'male', languages: ['pl'] },
      { active: false, activeCases: 5 },
      ['wrong_service', 'inactive', 'conflict_of_interest', 'at_capacity', 'gender_preference', 'language'],
    ],
  ] as [string, RuleRequest, Partial<RuleSupporter>, string[]][])('%s', (_name, request, supporter, expected) => {
    expect(codes(request, supporter)).toEqual(expected);
    // prepared once or not, the same answer
    expect(hardRuleViolations(prepareRequest(request), { ...peer, ...supporter }).map((v) => v.code)).toEqual(expected);
  });

  it('texts are for staff to read out', () => {
    expect(hardRuleViolations({ ...ask, languages: ['pl'] }, peer)[0].text).toBe(
      'Speaks none of the languages asked for (Polish)',
    );
    expect(hardRuleViolations(ask, { ...peer, activeCases: 3 })[0].text).toBe('No free place: 3 of 3 cases taken');
    expect(hardRuleViolations({ service: 'counselling' }, peer)[0].text).toBe('Offers peer support, not counselling');
  });
});

describe('the parts', () => {
  it.each([
    [0, 1, false],
    [1, 1, true],
    [2, 1, true],
  ])('atCapacity(%i, %i): %s', (active, max, expected) => {
    expect(atCapacity(active, max)).toBe(expected);
  });

  it.each([
    ['St Elsewhere', ['st elsewhere'], true],
    [null, ['st elsewhere'], false],
    ['', [''], false],
    ['Other', ['st elsewhere'], false],
  ] as const)('worksTogether(%j, %j): %s', (w, ws, expected) => {
    expect(worksTogether(w, [...ws])).toBe(expected);
  });

  it('spokenLanguages: the asked ones spoken, in the order asked, without duplicates', () => {
    expect(spokenLanguages(prepareRequest({ ...ask, languages: ['cy', 'pl', 'en', 'cy'] }), peer)).toEqual([
      'cy',
      'en',
    ]);
  });
});
