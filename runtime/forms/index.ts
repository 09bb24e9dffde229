export {
  evaluateFormState,
  type EvaluateFormOptions,
  type FieldState,
  type FormState,
} from './evaluate-form'
