/** The parts of runtime/rules the record functions use, in one place. */
export { compileFilter, compileSort, evaluateRule, isTruthy, roundHalfUp } from '../rules'
