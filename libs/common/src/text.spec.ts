import { FreeText, hostileTextProblems, MAX_JSON_DEPTH, textProblem } from './text';

class NoteDto {
  @FreeText() note: string;
}

describe('textProblem', () => {
  it.each([
    ['plain text', 'Dr Ana Núñez', false, null],
    ['an emoji (a whole surrogate pair)', 'hi \u{1F44B}', false, null],
    ['U+00A0 and U+00FF (not controls)', '\u00a0\u00ff', false, null],
    ['NUL', 'a\u0000b', true, 'must not contain control characters'],
    ['U+0008', '\u0008', true, 'must not contain control characters'],
    ['U+000B', '\u000b', true, 'must not contain control characters'],
    ['U+001F', '\u001f', true, 'must not contain control characters'],
    ['DEL', '\u007f', true, 'must not contain control characters'],
    ['U+009F (C1)', '\u009f', true, 'must not contain control characters'],
    ['a lone high surrogate at the end', 'x\ud800', true, 'must be valid Unicode text (it holds a lone surrogate)'],
    ['a lone low surrogate at the start', '\udc00x', true, 'must be valid Unicode text (it holds a lone surrogate)'],
    ['two high surrogates', '\ud800\ud800\udc00', true, 'must be valid Unicode text (it holds a lone surrogate)'],
    ['tab, LF, CR in free text', 'a\tb\nc\r\n', true, null],
    ['a LF in a one-line field', 'a\nb', false, 'must be a single line (no tabs or line breaks)'],
    ['a tab in a one-line field', 'a\tb', false, 'must be a single line (no tabs or line breaks)'],
  ])('%s', (_label, value, freeText, expected) => {
    expect(textProblem(value, freeText)).toBe(expected);
  });
});

describe('hostileTextProblems', () => {
  it('names each bad field as the validation errors do', () => {
    expect(NoteDto).toBeDefined();
    expect(
      hostileTextProblems({
        name: 'a\u0000',
        caller: { phone: '1\n2' },
        languages: ['en', '\u001b'],
        note: 'two\nlines',
        ok: 'fine',
        n: 1,
        b: null,
      }),
    ).toEqual([
      { field: 'name', message: 'must not contain control characters' },
      { field: 'caller.phone', message: 'must be a single line (no tabs or line breaks)' },
      { field: 'languages[1]', message: 'must not contain control characters' },
    ]);
  });

  it(`nesting: ${MAX_JSON_DEPTH} levels pass, ${MAX_JSON_DEPTH + 1} do not`, () => {
    const nest = (levels: number): unknown => (levels === 1 ? {} : { a: nest(levels - 1) });
    expect(hostileTextProblems(nest(MAX_JSON_DEPTH))).toEqual([]);
    const problems = hostileTextProblems(nest(MAX_JSON_DEPTH + 1));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toBe(`nests deeper than ${MAX_JSON_DEPTH} levels`);
    expect(problems[0].field.split('.')).toHaveLength(MAX_JSON_DEPTH);
  });

  it('a bad key is reported without echoing it, and the list is bounded', () => {
    expect(hostileTextProblems({ 'x\u0000y': 1 })).toEqual([
      { field: '(body)', message: 'holds a field name that is not plain text' },
    ]);
    expect(hostileTextProblems(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
  });
});
