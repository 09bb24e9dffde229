import type { Field } from '$metadata/field'

/** What every field widget receives. `testid` goes on the element a user types into. */
export interface WidgetProps {
  field: Field
  value: unknown
  onchange: (value: unknown) => void
  readOnly: boolean
  required: boolean
  invalid: boolean
  id: string
  testid: string
}
