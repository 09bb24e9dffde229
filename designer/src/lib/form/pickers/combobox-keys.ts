/** What a key press in an open or closed combobox asks for. */
export type ComboboxStep =
  | { kind: 'open' }
  | { kind: 'move'; active: number }
  | { kind: 'pick'; index: number }
  | { kind: 'close' }
  | { kind: 'none' }

/**
 * The step a key takes in a combobox with `count` options and `active` highlighted (-1: none).
 * Arrows wrap around; Enter picks the highlighted option, or the only one when nothing is
 * highlighted, so typing a whole name and pressing Enter is enough.
 * @example toComboboxStep('ArrowDown', true, -1, 3) // { kind: 'move', active: 0 }
 */
export function toComboboxStep(
  key: string,
  open: boolean,
  active: number,
  count: number,
): ComboboxStep {
  if (!open) return key === 'ArrowDown' || key === 'ArrowUp' ? { kind: 'open' } : { kind: 'none' }
  switch (key) {
    case 'ArrowDown':
      return { kind: 'move', active: count ? (active + 1) % count : -1 }
    case 'ArrowUp':
      return { kind: 'move', active: count ? (active <= 0 ? count - 1 : active - 1) : -1 }
    case 'Enter':
      if (active >= 0 && active < count) return { kind: 'pick', index: active }
      return count === 1 ? { kind: 'pick', index: 0 } : { kind: 'none' }
    case 'Escape':
    case 'Tab':
      return { kind: 'close' }
    default:
      return { kind: 'none' }
  }
}
