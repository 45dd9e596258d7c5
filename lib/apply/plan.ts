/**
 * Planning of `apply()`: the entry point. The phases (validate, read, compare, order) are the
 * modules of lib/apply/plan/; see lib/apply/plan/index.ts.
 */
export { MAX_RECORDS, LocalRef, planRecords, publicStep, irreversibleRefusal, type ApplyRecord, type Plan, type PlanHooks, type PlanOptions, type PlanStep, type Planned, type StepInternal, type StepKind } from './plan/index.js';
