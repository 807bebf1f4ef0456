import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { z } from 'zod';

/*
 * `npm run desktop:build`: writes the desktop shells' app directory, dist/electron/ (what
 * electron-builder.yml packages):
 *   main.cjs      client/electron/main/main.ts bundled (CommonJS, Node 20, 'electron' left external)
 *   preload.cjs   client/electron/preload/preload.ts bundled the same way (a sandboxed preload must be
 *                 one CommonJS file)
 *   renderer/     dist/client (the React app built by `npm run build`), served as app://shell for the
 *                 screens shown before a server is known; skipped with a warning when not built
 *   package.json  name, version and "main": "main.cjs", no dependencies
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'electron');
const rendererSource = path.join(root, 'dist', 'client');

const RootPackageSchema = z.object({ name: z.string().min(1), version: z.string().min(1) });

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const rootPackage = RootPackageSchema.parse(JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
  await build({
    ...common,
    entryPoints: [path.join(root, 'client/electron/main/main.ts')],
    outfile: path.join(outDir, 'main.cjs'),
  });
  await build({
    ...common,
    entryPoints: [path.join(root, 'client/electron/preload/preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
  });

  if (await exists(path.join(rendererSource, 'index.html'))) {
    await cp(rendererSource, path.join(outDir, 'renderer'), { recursive: true });
  } else {
    process.stderr.write(
      'desktop:build: dist/client is not built (npm run build): the app:// screens will be missing\n',
    );
  }

  const appPackage = { name: rootPackage.name, version: rootPackage.version, main: 'main.cjs' };
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(appPackage, null, 2)}\n`);

  for (const file of ['main.cjs', 'preload.cjs', 'package.json']) {
    const { size } = await stat(path.join(outDir, file));
    process.stdout.write(`dist/electron/${file}  ${(size / 1024).toFixed(1)} KiB\n`);
  }
}

await main();
