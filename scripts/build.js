#!/usr/bin/env node
// Compiles the TypeScript (tsc, then tsc-alias to rewrite @app/* imports) into dist/.
// Skips the work when the sources have not changed since the last build, so
// `npm start` is instant after `npm ci` (whose `prepare` step builds once).
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stampFile = path.join(root, 'dist', '.build-stamp');
const dirs = ['apps', 'libs', 'migrations', 'bench'];
const files = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function walk(dir, out) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'web') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
}

function fingerprint() {
  const all = [];
  for (const d of dirs) walk(path.join(root, d), all);
  for (const f of files) if (fs.existsSync(path.join(root, f))) all.push(path.join(root, f));
  const h = createHash('sha256');
  for (const f of all.sort()) h.update(f).update(fs.readFileSync(f));
  return h.digest('hex');
}

const force = process.argv.includes('--force');
const fp = fingerprint();
if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === fp) process.exit(0);

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const started = Date.now();
process.stdout.write('building (tsc)... ');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
try {
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
} catch {
  process.stderr.write('\nbuild failed\n');
  process.exit(1);
}
fs.writeFileSync(stampFile, fp);
process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
