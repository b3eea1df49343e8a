#!/usr/bin/env node
// Compiles the TypeScript (tsc, then tsc-alias to rewrite @app/* imports) into dist/,
// and the web console (apps/web: type-check, then vite build) into dist/web.
// Each part is skipped when its sources have not changed since its last build,
// so `npm start` is instant after `npm ci` (whose `prepare` step builds once).
//   --force  rebuild regardless    --web  only the web console    --api  only the API
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
const onlyWeb = process.argv.includes('--web');
const onlyApi = process.argv.includes('--api');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function buildApi() {
  const fp = fingerprint();
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === fp) return;
  const started = Date.now();
  process.stdout.write('building (tsc)... ');
  // everything but the web console, which has its own stamp
  const dist = path.join(root, 'dist');
  if (fs.existsSync(dist)) {
    for (const entry of fs.readdirSync(dist))
      if (entry !== 'web') fs.rmSync(path.join(dist, entry), { recursive: true, force: true });
  }
  try {
    execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  } catch {
    process.stderr.write('\nbuild failed\n');
    process.exit(1);
  }
  fs.writeFileSync(stampFile, fp);
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

// ---- the web console: apps/web -> dist/web -----------------------------------
const webSrc = path.join(root, 'apps', 'web');
const webOut = path.join(root, 'dist', 'web');
const webStamp = path.join(webOut, '.build-stamp');

function webFingerprint() {
  const all = [];
  const walkAll = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walkAll(full);
      else all.push(full);
    }
  };
  walkAll(webSrc);
  if (fs.existsSync(path.join(root, 'package-lock.json'))) all.push(path.join(root, 'package-lock.json'));
  const h = createHash('sha256');
  for (const f of all.sort()) h.update(path.relative(root, f)).update(fs.readFileSync(f));
  return h.digest('hex');
}

function buildWeb() {
  if (!fs.existsSync(path.join(webSrc, 'index.html'))) return;
  if (!fs.existsSync(bin('vite'))) {
    // e.g. installed with --omit=dev: the API still runs, without the console
    process.stdout.write('web console not built: vite is not installed\n');
    return;
  }
  const fp = webFingerprint();
  if (!force && fs.existsSync(webStamp) && fs.readFileSync(webStamp, 'utf8') === fp) return;
  const started = Date.now();
  process.stdout.write('building the web console (tsc, vite)... ');
  try {
    execFileSync(bin('tsc'), ['-p', path.join('apps', 'web', 'tsconfig.json'), '--noEmit'], {
      cwd: root,
      stdio: 'inherit',
    });
    execFileSync(
      bin('vite'),
      ['build', '--config', path.join('apps', 'web', 'vite.config.mjs'), '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
  } catch {
    process.stderr.write('\nweb build failed\n');
    process.exit(1);
  }
  fs.writeFileSync(webStamp, fp);
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (!onlyWeb) buildApi();
if (!onlyApi) buildWeb();
