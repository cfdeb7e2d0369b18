/** The concentration and pool tests, in id order: a new test is one file and one line here. */
import { c01 } from './c01-largest-tenant-group.ts';
import { c02 } from './c02-top-three-tenant-groups.ts';
import { c03 } from './c03-low-rated-tenants.ts';
import { c04 } from './c04-largest-facility.ts';
import { c05 } from './c05-largest-market.ts';
import { c06 } from './c06-largest-sponsor.ts';
import { c07 } from './c07-not-operational.ts';
import { c08 } from './c08-lease-rollover.ts';
import { c09 } from './c09-effective-loan-count.ts';
import { c10 } from './c10-early-termination.ts';
import type { ConcentrationTest } from './concentration-test.ts';
import { p01 } from './p01-wa-dscr.ts';
import { p02 } from './p02-wa-ltv.ts';
import { p03 } from './p03-wa-remaining-lease-term.ts';

export type { ConcentrationTest } from './concentration-test.ts';

export const CONCENTRATION_TESTS: readonly ConcentrationTest[] = [c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, p01, p02, p03];
