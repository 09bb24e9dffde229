/**
 * A pull stream over text chunks (UTF-8): the next chunk is produced only when the client takes
 * more, so a large export or error file is never held in memory.
 * @example return c.body(toTextStream(exportCsv(ctx, 'customer', {})), 200, headers)
 */
export function toTextStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]()
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await it.return?.()
    },
  })
}
