import { describe, expect, it } from 'vitest'
import { toComboboxStep } from './combobox-keys'

describe('toComboboxStep', () => {
  it('opens a closed combobox on an arrow key and ignores other keys', () => {
    expect(toComboboxStep('ArrowDown', false, -1, 0)).toEqual({ kind: 'open' })
    expect(toComboboxStep('ArrowUp', false, -1, 0)).toEqual({ kind: 'open' })
    expect(toComboboxStep('Enter', false, 2, 3)).toEqual({ kind: 'none' })
  })

  it('moves the highlight with the arrows, wrapping at both ends', () => {
    expect(toComboboxStep('ArrowDown', true, -1, 3)).toEqual({ kind: 'move', active: 0 })
    expect(toComboboxStep('ArrowDown', true, 2, 3)).toEqual({ kind: 'move', active: 0 })
    expect(toComboboxStep('ArrowUp', true, 0, 3)).toEqual({ kind: 'move', active: 2 })
    expect(toComboboxStep('ArrowUp', true, -1, 3)).toEqual({ kind: 'move', active: 2 })
    expect(toComboboxStep('ArrowDown', true, -1, 0)).toEqual({ kind: 'move', active: -1 })
  })

  it('picks the highlighted option, or the only one, on Enter', () => {
    expect(toComboboxStep('Enter', true, 1, 3)).toEqual({ kind: 'pick', index: 1 })
    expect(toComboboxStep('Enter', true, -1, 1)).toEqual({ kind: 'pick', index: 0 })
    expect(toComboboxStep('Enter', true, -1, 2)).toEqual({ kind: 'none' })
    expect(toComboboxStep('Enter', true, 4, 2)).toEqual({ kind: 'none' })
  })

  it('closes on Escape and Tab', () => {
    expect(toComboboxStep('Escape', true, 0, 2)).toEqual({ kind: 'close' })
    expect(toComboboxStep('Tab', true, 0, 2)).toEqual({ kind: 'close' })
  })
})
