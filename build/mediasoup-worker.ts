/**
 * Builds the mediasoup worker from the C++ sources inside the installed `mediasoup` npm package,
 * against Debian 12's system libraries, without downloading anything.
 *
 *   npm run worker:build            build (or reuse the cached build) and install it into node_modules
 *   npm run worker:build -- --force rebuild even if a cached worker exists
 *
 * mediasoup's own postinstall downloads a prebuilt worker from GitHub and, failing that, builds with
 * meson subprojects that are downloaded from GitHub too. Neither works on a machine that only reaches
 * the npm registry and Debian's apt, so package.json's `allowScripts` turns that postinstall off and
 * this script does the build instead:
 *
 * - every meson subproject is replaced by a small shim (build/mediasoup-worker/shims/) that hands over
 *   the Debian library (`dependency('libuv')`, …) under the variable names mediasoup's meson.build reads;
 * - libsrtp 3.0-alpha calls are mapped onto Debian's libsrtp2 by a force-included compatibility header;
 * - liburing is disabled (Debian's 2.3 is older than what the worker needs);
 * - one comparison in the DTLS write-BIO callback is corrected (see patchDtlsBioCallback below).
 *
 * The result is cached outside the clone, keyed by mediasoup version and by a hash of the shims and
 * patches, so CI and later installs reuse it. Where a machine can download mediasoup's prebuilt worker,
 * `MEDIASOUP_WORKER_PREBUILT=1 npm run worker:build` runs mediasoup's own postinstall instead.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shimsDir = path.join(repoRoot, 'build', 'mediasoup-worker', 'shims');
const mediasoupDir = path.join(repoRoot, 'node_modules', 'mediasoup');
/** Where mediasoup's Node code looks for its worker when MEDIASOUP_WORKER_BIN is not set. */
const installedWorkerPath = path.join(mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');

/** Debian packages that provide each tool or pkg-config module the build needs. */
const REQUIRED_TOOLS: ReadonlyArray<{ cmd: string[]; pkg: string }> = [
  { cmd: ['c++', '--version'], pkg: 'g++' },
  { cmd: ['ninja', '--version'], pkg: 'ninja-build' },
  { cmd: ['pkg-config', '--version'], pkg: 'pkg-config' },
  { cmd: ['flatc', '--version'], pkg: 'flatbuffers-compiler' },
];
const REQUIRED_MODULES: ReadonlyArray<{ module: string; pkg: string }> = [
  { module: 'openssl', pkg: 'libssl-dev' },
  { module: 'libuv', pkg: 'libuv1-dev' },
  { module: 'libsrtp2', pkg: 'libsrtp2-dev' },
  { module: 'usrsctp', pkg: 'libusrsctp-dev' },
  { module: 'absl_flat_hash_map', pkg: 'libabsl-dev' },
  { module: 'flatbuffers', pkg: 'libflatbuffers-dev' },
];
/** Wrap name (file in worker/subprojects) → shim folder under build/mediasoup-worker/shims. */
const SHIMS: Readonly<Record<string, string>> = {
  openssl: 'openssl',
  libuv: 'libuv',
  libsrtp2: 'libsrtp2',
  usrsctp: 'usrsctp',
  'abseil-cpp': 'abseil-cpp',
  catch2: 'catch2',
  flatbuffers: 'flatbuffers',
};
const MIN_MESON = [1, 1, 0];
const MESON_OPTIONS = [
  '--buildtype=release',
  '-Db_ndebug=true',
  '--wrap-mode=nodownload',
  '-Dms_disable_liburing=true',
];
/** See patchDtlsBioCallback. */
const DTLS_PATCH = {
  file: ['src', 'RTC', 'DtlsTransport.cpp'],
  wrong: '(operationType == BIO_CB_RETURN)',
  right: '((operationType & BIO_CB_RETURN) != 0)',
};

class BuildError extends Error {}

function log(message: string): void {
  process.stdout.write(`[mediasoup-worker] ${message}\n`);
}

function run(cmd: string[], opts: { cwd?: string; quiet?: boolean } = {}): string {
  const [file, ...args] = cmd;
  if (file === undefined) throw new TypeError('empty command');
  const result = spawnSync(file, args, {
    cwd: opts.cwd,
    encoding: 'utf8',
    stdio: opts.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (result.error) {
    throw new BuildError(`cannot run ${file}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const output = opts.quiet ? `\n${result.stdout}${result.stderr}` : '';
    throw new BuildError(`${cmd.join(' ')} failed with exit code ${result.status}${output}`);
  }
  return result.stdout ?? '';
}

function succeeds(cmd: string[]): boolean {
  const [file, ...args] = cmd;
  if (file === undefined) return false;
  const result = spawnSync(file, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

function readJson(file: string): Record<string, unknown> {
  const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof value !== 'object' || value === null) throw new BuildError(`${file} is not a JSON object`);
  return Object.fromEntries(Object.entries(value));
}

/** The installed mediasoup version, checked against the exact version package.json pins. */
function mediasoupVersion(): string {
  const pkgPath = path.join(mediasoupDir, 'package.json');
  if (!fs.existsSync(pkgPath)) {
    throw new BuildError('node_modules/mediasoup is missing: run `npm ci` first');
  }
  const installed = readJson(pkgPath).version;
  const dependencies = readJson(path.join(repoRoot, 'package.json')).dependencies;
  const pinned =
    typeof dependencies === 'object' && dependencies !== null ? Reflect.get(dependencies, 'mediasoup') : undefined;
  if (typeof installed !== 'string' || typeof pinned !== 'string') {
    throw new BuildError('cannot read the mediasoup version from package.json and node_modules/mediasoup');
  }
  if (installed !== pinned) {
    throw new BuildError(`package.json pins mediasoup ${pinned} but ${installed} is installed: run \`npm ci\``);
  }
  return installed;
}

/** Hash of everything this script feeds into the build besides mediasoup's own sources. */
function recipeHash(): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ MESON_OPTIONS, DTLS_PATCH }));
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(shimsDir, full));
        hash.update(fs.readFileSync(full));
      }
    }
  };
  walk(shimsDir);
  return hash.digest('hex').slice(0, 12);
}

function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'shared-court', 'mediasoup-worker');
}

function checkPrerequisites(): void {
  const missing = new Set<string>();
  for (const tool of REQUIRED_TOOLS) {
    if (!succeeds(tool.cmd)) missing.add(tool.pkg);
  }
  if (succeeds(['pkg-config', '--version'])) {
    for (const mod of REQUIRED_MODULES) {
      if (!succeeds(['pkg-config', '--exists', mod.module])) missing.add(mod.pkg);
    }
  }
  if (missing.size > 0) {
    throw new BuildError(
      `missing Debian packages: ${[...missing].join(' ')}\n` +
        `  install them with: apt-get install -y ${[...missing].join(' ')}  (or run: bash build/setup.sh)`,
    );
  }
  const mesonVersion = spawnSync('meson', ['--version'], { encoding: 'utf8' });
  if (mesonVersion.error || mesonVersion.status !== 0) {
    throw new BuildError('meson is missing: install it with `pip install meson` (>= 1.1; Debian 12 has 1.0)');
  }
  const parts = mesonVersion.stdout.trim().split('.').map(Number);
  const firstDifference = MIN_MESON.findIndex((min, i) => (parts[i] ?? 0) !== min);
  if (firstDifference !== -1 && (parts[firstDifference] ?? 0) < (MIN_MESON[firstDifference] ?? 0)) {
    throw new BuildError(
      `meson ${mesonVersion.stdout.trim()} is too old (>= ${MIN_MESON.join('.')} needed): pip install meson`,
    );
  }
}

/** Reads `directory = …` from a meson wrap file. */
function wrapDirectory(wrapFile: string): string {
  const match = /^directory\s*=\s*(\S+)\s*$/m.exec(fs.readFileSync(wrapFile, 'utf8'));
  if (!match?.[1]) throw new BuildError(`${wrapFile} has no directory = line`);
  return match[1];
}

function installShims(workerSrc: string): void {
  const subprojects = path.join(workerSrc, 'subprojects');
  for (const [wrap, shim] of Object.entries(SHIMS)) {
    const target = path.join(subprojects, wrapDirectory(path.join(subprojects, `${wrap}.wrap`)));
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(path.join(shimsDir, shim), target, { recursive: true });
  }
}

/**
 * mediasoup's DTLS write-BIO callback (onSslBioOut in DtlsTransport.cpp) compares
 * `operationType == BIO_CB_RETURN`, but OpenSSL passes flags (e.g. BIO_CB_CTRL | BIO_CB_RETURN).
 * With Debian's kTLS-enabled OpenSSL the BIO_CTRL_GET_KTLS_SEND query then answers "kTLS on", no
 * record write buffer is allocated, and the worker segfaults in SSL_read at the first DTLS handshake
 * from a browser. Testing the flag (`&`) fixes it.
 */
function patchDtlsBioCallback(workerSrc: string): void {
  const file = path.join(workerSrc, ...DTLS_PATCH.file);
  const source = fs.readFileSync(file, 'utf8');
  const { wrong, right } = DTLS_PATCH;
  if (source.includes(right)) return;
  if (!source.includes(wrong)) {
    throw new BuildError(`${file}: the BIO callback comparison to patch was not found (mediasoup changed?)`);
  }
  fs.writeFileSync(file, source.replace(wrong, right));
}

function buildFromSource(version: string, outputBinary: string): void {
  checkPrerequisites();
  const workDir = fs.mkdtempSync(path.join(cacheRoot(), `build-${version}-`));
  const workerSrc = path.join(workDir, 'worker');
  const buildDir = path.join(workDir, 'out');
  try {
    log(`copying worker sources of mediasoup ${version} to ${workDir}`);
    fs.cpSync(path.join(mediasoupDir, 'worker'), workerSrc, { recursive: true });
    installShims(workerSrc);
    patchDtlsBioCallback(workerSrc);

    log('meson setup (system libraries, liburing disabled)');
    run(['meson', 'setup', ...MESON_OPTIONS, buildDir, workerSrc], { quiet: true });
    log('generating flatbuffers headers (ninja fbs/FBS)');
    run(['ninja', '-C', buildDir, 'fbs/FBS'], { quiet: true });
    log(`compiling mediasoup-worker with ${os.availableParallelism()} jobs (about 6 minutes on 2 cores)`);
    run(['ninja', '-C', buildDir, '-j', String(os.availableParallelism()), 'mediasoup-worker']);
    const built = path.join(buildDir, 'mediasoup-worker');
    run(['strip', built], { quiet: true });
    const tmp = `${outputBinary}.tmp-${process.pid}`;
    fs.copyFileSync(built, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, outputBinary);
  } finally {
    if (!process.env.MEDIASOUP_WORKER_KEEP_BUILD) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function installInto(binary: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.copyFileSync(binary, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, target);
}

function main(): void {
  const force = process.argv.includes('--force');
  const version = mediasoupVersion();

  if (process.env.MEDIASOUP_WORKER_PREBUILT) {
    log('MEDIASOUP_WORKER_PREBUILT set: running mediasoup’s own postinstall (downloads a prebuilt worker)');
    run(['node', 'npm-scripts.mjs', 'postinstall'], { cwd: mediasoupDir });
    return;
  }

  const cacheDir = path.join(cacheRoot(), `${version}-${recipeHash()}`);
  const cached = path.join(cacheDir, 'mediasoup-worker');
  fs.mkdirSync(cacheDir, { recursive: true });

  if (force || !fs.existsSync(cached)) {
    const started = Date.now();
    log(`building mediasoup ${version} worker from source into ${cacheDir}`);
    buildFromSource(version, cached);
    log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  } else {
    log(`using cached worker ${cached}`);
  }
  installInto(cached, installedWorkerPath);
  log(`installed ${installedWorkerPath}`);
}

try {
  main();
} catch (error) {
  if (error instanceof BuildError) {
    process.stderr.write(`[mediasoup-worker] error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
