export { loadStressModel, type StressModel, type RatingLevel, type Tranche } from './stress-model.ts';
export { StressAggregate, loanHaircut, loanCapRate, loanStress, loanStressFields, type LoanStressFields, type StressLoan, type LoanStress, type StressSection, type StressAggregateState } from './stress-aggregate.ts';
