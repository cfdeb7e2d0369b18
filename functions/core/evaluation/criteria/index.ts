/** The eligibility criteria, in id order: a new criterion is one file and one line here. */
import type { Criterion } from './criterion.ts';
import { e01 } from './e01-positive-balance.ts';
import { e02 } from './e02-payment-status.ts';
import { e03 } from './e03-lien-position.ts';
import { e04 } from './e04-construction.ts';
import { e05 } from './e05-min-dscr.ts';
import { e06 } from './e06-max-ltv.ts';
import { e07 } from './e07-remaining-lease-term.ts';
import { e08 } from './e08-not-matured.ts';
import { e09 } from './e09-tenant-not-defaulted.ts';
import { e10 } from './e10-deal-currency.ts';

export type { Criterion, CriterionOutcome } from './criterion.ts';

export const CRITERIA: readonly Criterion[] = [e01, e02, e03, e04, e05, e06, e07, e08, e09, e10];
