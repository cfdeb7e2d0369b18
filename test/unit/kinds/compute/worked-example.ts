// The four lots of the standard's worked example of the compute kind (docs/compute-tape.md).
import type { EvaluatedLot } from '../../../../functions/core/kinds/compute/index.ts';

const base = {
  reportingDate: '2026-10-31', paymentStatus: 'CURRENT', lienPosition: 'FIRST', currency: 'USD', country: 'US',
} as const;

export const WORKED_EXAMPLE: EvaluatedLot[] = [
  { ...base, lotId: 'L1', gpuModel: 'H100', unitCount: 1000, unitCost: 30000, energised: true, inServiceDate: '2026-08-31', currentBalance: 20000000,
    maturityDate: '2029-10-31', contractType: 'TAKE_OR_PAY', monthlyContractedRevenue: 1000000, contractExpiryDate: '2028-10-31',
    customer: 'Microsoft Azure', customerParent: 'Microsoft', customerRating: 'AAA', siteId: 'ABI-01' },
  { ...base, lotId: 'L2', gpuModel: 'B200', unitCount: 500, unitCost: 48000, energised: true, inServiceDate: '2026-04-30', currentBalance: 6000000,
    maturityDate: '2028-06-30', contractType: 'RESERVED', monthlyContractedRevenue: 600000, contractExpiryDate: '2028-10-31',
    customer: 'CoreWeave', customerRating: 'B+', siteId: 'ABI-01' },
  { ...base, lotId: 'L3', gpuModel: 'H200', unitCount: 800, unitCost: 35000, energised: false, inServiceDate: '2027-01-31', currentBalance: 12000000,
    maturityDate: '2029-10-31', contractType: 'TAKE_OR_PAY', monthlyContractedRevenue: 900000, contractExpiryDate: '2029-10-31',
    customer: 'OpenAI OpCo, LLC', customerParent: 'OpenAI', customerRating: 'NR', siteId: 'DFW-01' },
  { ...base, lotId: 'L4', gpuModel: 'MI300X', unitCount: 400, unitCost: 25000, energised: true, inServiceDate: '2023-10-31', currentBalance: 2400000,
    maturityDate: '2027-06-30', contractType: 'ON_DEMAND', monthlyContractedRevenue: 200000, contractExpiryDate: '2027-06-30',
    customer: 'Oracle Cloud Infrastructure', customerParent: 'Oracle', customerRating: 'BBB', siteId: 'ASH-01' },
];
