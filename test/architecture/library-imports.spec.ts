import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..', '..');
const libs = join(root, 'libs');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Every module specifier in a file: import … from, export … from, import(), require(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) found.push(m[2]);
  return found;
}

/** The library a path lies in (libs/<name>/…), or null. */
function libraryOf(path: string): string | null {
  const rel = relative(libs, path);
  if (rel.startsWith('..')) return null;
  return rel.split(sep)[0];
}

/**
 * ARCHITECTURE rule 14: libraries import each other only as `@app/<lib>`, so
 * each library's index is its public surface. A relative path into another
 * library, or a deep `@app/<lib>/<file>` import, goes around it.
 */
export function crossLibraryImports(): string[] {
  const bad: string[] = [];
  for (const lib of readdirSync(libs)) {
    for (const file of sourceFiles(join(libs, lib, 'src'))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const where = `${relative(root, file)}: '${spec}'`;
        if (spec.startsWith('.')) {
          const target = libraryOf(resolve(dirname(file), spec));
          if (target !== null && target !== lib) bad.push(where);
        } else if (/^@app\/[a-z-]+\/./.test(spec)) {
          bad.push(where);
        }
      }
    }
  }
  return bad;
}

describe('library boundaries', () => {
  it('libraries import each other only through @app/<lib>', () => {
    expect(crossLibraryImports()).toEqual([]);
  });

  it('the check sees the forms it forbids', () => {
    expect(
      specifiers(
        "import { a } from '../../scheduling/src';\nexport * from \"../../x/src/y\";\nconst z = require('../../z/src');\nimport '../../side/src';",
      ),
    ).toEqual(['../../scheduling/src', '../../x/src/y', '../../z/src', '../../side/src']);
    expect(libraryOf(resolve(libs, 'matching', 'src', '../../scheduling/src'))).toBe('scheduling');
    expect(libraryOf(resolve(libs, 'database', 'src', '../../../migrations'))).toBeNull();
  });
});
