/**
 * Keyset paging as a list walks it: the cursor of each page opened so far (the first page has
 * none) and the cursor the server gave for the next one. Reactive: pagers read it in templates.
 * @example const trail = new CursorTrail(); trail.next = page.nextCursor; if (trail.forward()) load(trail.current)
 */
export class CursorTrail {
  #cursors = $state<(string | null)[]>([null])
  /** The server's cursor for the page after the current one (null: this is the last). */
  next = $state<string | null>(null)

  /** The cursor that opens the current page (null: the first page). */
  get current(): string | null {
    return this.#cursors[this.#cursors.length - 1]
  }

  /** The 1-based number of the current page. */
  get page(): number {
    return this.#cursors.length
  }

  get hasPrevious(): boolean {
    return this.#cursors.length > 1
  }

  /** Back to the first page. */
  reset(): void {
    this.#cursors = [null]
  }

  /** Steps to the next page; false when there is none. */
  forward(): boolean {
    if (!this.next) return false
    this.#cursors.push(this.next)
    return true
  }

  /** Steps back a page; false on the first. */
  back(): boolean {
    if (this.#cursors.length < 2) return false
    this.#cursors.pop()
    return true
  }
}
