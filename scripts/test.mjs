// `npm test`: the build, then the type check and vitest side by side — tsc is one single-threaded
// process, and vitest's workers spend much of their time waiting on the processes, emulators and
// browsers they start, so on two cores the check costs the suite little. tsc's output is held and
// printed after vitest's; the exit status fails when either fails. Arguments go to vitest
// (`npm test -- --reporter=json ...`, as .ci/run passes them).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** A package's bin script (vitest exports no subpath for it: found beside its package.json). */
const bin = (pkg, name) => new URL(require(`${pkg}/package.json`).bin[name], `file://${require.resolve(`${pkg}/package.json`)}`).pathname;
const args = process.argv.slice(2);

/** Runs `node script ...args`; resolves with its exit code (1 when a signal ended it) and, when piped, its output. */
function run(script, scriptArgs, pipe) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...scriptArgs], { stdio: pipe ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (pipe) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const build = await run(new URL('./build.mjs', import.meta.url).pathname, [], false);
if (build.code !== 0) process.exit(build.code);
const typecheck = run(bin('typescript', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], true);
const vitest = await run(bin('vitest', 'vitest'), ['run', ...args], false);
const types = await typecheck;
process.stdout.write(types.code === 0 ? '\ntype check (tsc --noEmit): no errors\n' : `\ntype check (tsc --noEmit) failed:\n${types.output}`);
process.exitCode = vitest.code !== 0 ? vitest.code : types.code;
