import 'reflect-metadata';
import { ApiProblems, ProblemStatus } from './openapi';

describe('ApiProblems', () => {
  it('refuses a code answered with another status, so the document cannot drift from the filter', () => {
    expect(() => ApiProblems({ 409: ['validation_failed'] })).toThrow(
      'validation_failed is answered with 400, not 409',
    );
    expect(() => ApiProblems({ 422: ['slot_taken', 'too_soon'] })).toThrow('slot_taken is answered with 409, not 422');
  });

  it('refuses a status no code answers with yet', () => {
    // 418: a status no code will ever map to (415, 431 are coming and would make this test wrong)
    expect(() => ApiProblems(418 as ProblemStatus)).toThrow('no error code answers with 418');
  });

  it('accepts codes of their own status, bare statuses, and a when', () => {
    expect(
      typeof ApiProblems(400, 401, {
        409: ['slot_taken', 'caller_busy'],
        429: { codes: ['rate_limited'], when: 'too often' },
      }),
    ).toBe('function');
  });
});
