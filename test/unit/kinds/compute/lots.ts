// A compute lot for tests: eligible under the default criteria unless overridden.
import type { EvaluatedLot } from '../../../../functions/core/kinds/compute/index.ts';

export function lot(over: Partial<EvaluatedLot> = {}): EvaluatedLot {
  return {
    lotId: 'L-1', reportingDate: '2026-10-31', gpuModel: 'H100', unitCount: 100, unitCost: 30000, inServiceDate: '2026-06-30', energised: true,
    siteId: 'ABI-01', country: 'US', lienPosition: 'FIRST', customer: 'Microsoft Azure', customerParent: 'Microsoft', customerRating: 'AAA',
    contractType: 'TAKE_OR_PAY', monthlyContractedRevenue: 100000, contractExpiryDate: '2029-10-31', currentBalance: 2000000,
    maturityDate: '2029-10-31', paymentStatus: 'CURRENT', currency: 'USD',
    ...over,
  };
}
