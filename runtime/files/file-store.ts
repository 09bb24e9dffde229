import { randomUUID } from 'node:crypto'

/**
 * Where the bytes of uploaded files live. Keys are made by `newStorageKey` and nothing else: a
 * name a user typed never reaches a store, so no path can escape it.
 */
export interface FileStore {
  /** Writes `bytes` under `key`; the key holds nothing until every byte is written. */
  put(key: string, bytes: AsyncIterable<Uint8Array>): Promise<void>
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<AsyncIterable<Uint8Array> | null>
  /** Removes `key` (nothing when it is already gone). */
  delete(key: string): Promise<void>
}

const KEY_PATTERN = /^[0-9a-f]{32}$/

/** A fresh random storage key: 32 hex digits, never derived from a name. */
export function newStorageKey(): string {
  return randomUUID().replace(/-/g, '')
}

/** Throws unless `key` has the shape `newStorageKey` makes (stores call it before any I/O). */
export function assertStorageKey(key: string): void {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    throw new Error(`not a storage key: ${JSON.stringify(key)}`)
}
