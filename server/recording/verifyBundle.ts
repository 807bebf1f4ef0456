/**
 * npm run bundle:verify -- <bundle.zip> — checks an evidence bundle on its own, without the court's
 * database (see verifyBundle in bundle.ts). Prints `bundle intact: …` and exits 0, or
 * `bundle BROKEN: <problem> (<file in the bundle>)` and exits 1; exits 2 on usage and other errors
 * (no such file, unreadable).
 */
import * as path from 'node:path';
import { verifyBundle } from './bundle.js';

const USAGE = 'usage: npm run bundle:verify -- <bundle.zip>\n';

// npm runs scripts from the package's directory; a relative path means the caller's directory.
const callerDir = process.env.INIT_CWD ?? process.cwd();
const args = process.argv.slice(2);
const [file] = args;

if (args.length !== 1 || !file) {
  process.stderr.write(USAGE);
  process.exitCode = 2;
} else {
  try {
    const result = await verifyBundle(path.resolve(callerDir, file));
    if (result.ok) {
      process.stdout.write(`bundle intact: ${result.summary}\n`);
    } else {
      process.stdout.write(`bundle BROKEN: ${result.problem}${result.path === null ? '' : ` (${result.path})`}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`bundle verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
