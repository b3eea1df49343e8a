import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The house rule "public APIs of dependencies only" (README, architecture
 * notes), checked on every source file of apps/ and libs/, so that driving
 * node-postgres or TypeORM through their internals cannot come back quietly.
 */
const ROOT = join(__dirname, '..', '..', '..');

/** What a private use looks like: each pattern with the reason it is refused. */
const FORBIDDEN: [RegExp, string][] = [
  [/['"]pg\/lib\//, "node-postgres' lib/ files (not its entry point)"],
  [
    /['"](typeorm|@nestjs\/[a-z-]+|pg|pg-protocol|rate-limiter-flexible)\/(?!browser['"])[^'"]+['"]/,
    'a deep import of a package file that is not its entry point',
  ],
  [/\._[A-Za-z]\w*/, 'an underscored (private by convention) field'],
  [/\b(isTransactionActive|transactionDepth)\s*=(?!=)/, "setting TypeORM's transaction state by hand"],
  [
    /\b(parsedStatements|submittedNamedStatements|databaseConnection|activeQuery|queryQueue)\b/,
    "node-postgres' or TypeORM's undocumented connection fields",
  ],
  [/\bdriver\.(master|slaves)\b/, "TypeORM's pool objects"],
  [/\bPipeliningClient\b/, 'the removed PipeliningClient'],
];

/**
 * Data, not internals: names that look private but are a library's documented
 * output. Each entry: the file, the text it may hold, and why.
 */
const DATA_SHAPES: [RegExp, RegExp, string][] = [
  [/caldav\.client\.ts$/, /\._cdata\b/, "xml-js's documented key for CDATA text, in tsdav's parsed multistatus props"],
];

function allowed(file: string, line: string): boolean {
  return DATA_SHAPES.some(([f, text]) => f.test(file) && text.test(line));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    // this file names the patterns it refuses
    return /\.(ts|tsx|js|mjs)$/.test(name) && path !== __filename ? [path] : [];
  });
}

describe('public APIs of dependencies only', () => {
  const files = ['apps', 'libs'].flatMap((d) => sources(join(ROOT, d)));

  it('finds the source files (a check over nothing would pass)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.endsWith(join('libs', 'booking', 'src', 'bookings.repository.ts')))).toBe(true);
  });

  it.each(FORBIDDEN)('no file matches %s', (pattern, why) => {
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          pattern.test(line) && !allowed(f, line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()} (${why})`] : [],
        ),
    );
    expect(hits).toEqual([]);
  });

  it('the patterns catch what they are for', () => {
    const caught = (line: string) => FORBIDDEN.some(([p]) => p.test(line));
    expect(caught("const { prepareValue } = require('pg/lib/utils');")).toBe(true);
    expect(caught("import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';")).toBe(true);
    expect(caught('return (this.result as any)._result;')).toBe(true);
    expect(caught('state.isTransactionActive = true;')).toBe(true);
    expect(caught('connection.parsedStatements[name]')).toBe(true);
    expect(caught("import { DataSource } from 'typeorm';")).toBe(false);
    expect(caught('if (rival.isTransactionActive) await rival.rollbackTransaction();')).toBe(false);
  });
});
