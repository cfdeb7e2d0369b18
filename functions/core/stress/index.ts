export { loadStressModel, type StressModel, type RatingLevel, type Tranche } from './stress-model.ts';
export { StressAggregate, loanHaircut, loanCapRate, type StressLoan, type LoanStress, type StressSection, type StressAggregateState } from './stress-aggregate.ts';
