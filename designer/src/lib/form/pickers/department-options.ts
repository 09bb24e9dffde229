import { departmentPath } from '../../admin/org-tree'

/** One choice of a picker: what it stores, what it shows, and a quieter hint beside it. */
export interface PickerOption {
  id: string
  label: string
  hint?: string
  /** A second line under the label (a product's code and spec), to tell equal labels apart. */
  detail?: string
}

interface DepartmentLike {
  id: string
  name: string
  parentId: string | null
}

/**
 * Departments as picker options labelled by their path ("Acme / Sales / East"), sorted, keeping
 * those whose path contains every word of `query` (any case); at most `max`.
 * @example toDepartmentOptions(departments, 'sal east') // [{ label: 'Acme / Sales / East', … }]
 */
export function toDepartmentOptions(
  departments: DepartmentLike[],
  query: string,
  max = 50,
): PickerOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return departments
    .map((d) => ({ id: d.id, label: departmentPath(departments, d.id) }))
    .filter((o) => words.every((w) => o.label.toLowerCase().includes(w)))
    .sort((a, b) => a.label.localeCompare(b.label))
    .slice(0, max)
}
