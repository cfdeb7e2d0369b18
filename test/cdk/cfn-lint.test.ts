/**
 * cfn-lint on the synthesized template: 0 errors. Runs when `cfn-lint` is on PATH (pip install
 * cfn-lint); otherwise says why it did not.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthPipeline } from './support/synth.ts';

const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) console.log(`cfn-lint check skipped: cfn-lint is not on PATH (${probe.error?.message ?? probe.stderr.trim()}); install it with 'pip install cfn-lint'`);

describe.skipIf(!available)('cfn-lint', () => {
  it('reports no errors on the synthesized template', () => {
    const { app, stack, outdir } = synthPipeline();
    app.synth();
    const file = join(outdir, stack.templateFile);
    const run = spawnSync('cfn-lint', ['--format', 'parseable', file], { encoding: 'utf8', timeout: 120_000 });
    // Exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational (cfn-lint docs).
    const lines = run.stdout.split('\n').filter(Boolean);
    const errors = lines.filter((l) => /:E\d{4}:/.test(l));
    console.log(`cfn-lint ${probe.stdout.trim()}: ${errors.length} errors, ${lines.filter((l) => /:W\d{4}:/.test(l)).length} warnings`);
    expect(run.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(run.status! & 2).toBe(0);
    // cfn-lint alone may take its 120 s bound on a loaded machine (a Python process loading every
    // resource schema), plus the synth: a timeout that holds both, not the default 60 s.
  }, 300_000);
});
