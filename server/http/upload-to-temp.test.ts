import { existsSync, readFileSync } from 'node:fs'
import { Hono } from 'hono'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../app-deps'
import { bodyLimit } from '../middleware/body-limit'
import { errorHandler } from '../middleware/error-handler'
import { toByteSize } from './byte-size'
import { uploadToTemp } from './upload-to-temp'

/** An app whose POST /up keeps uploads under `max` bytes and answers what it read. */
function appWithLimit(max: number) {
  const seen: string[] = []
  const app = new Hono<AppEnv>()
  app.onError(errorHandler(pino({ level: 'silent' })))
  app.use('/json', bodyLimit({ maxSize: 2048 }))
  app.post('/json', (c) => c.json({}))
  app.post('/up', async (c) =>
    c.json(
      await uploadToTemp(c, max, async (file) => {
        seen.push(file.path)
        return { answer: { name: file.name, text: readFileSync(file.path, 'utf8') } }
      }),
    ),
  )
  return { app, seen }
}

const upload = (text: string, name = 'staff.csv') => {
  const form = new FormData()
  form.append('file', new Blob([text]), name)
  return { method: 'POST', body: form }
}

describe('uploadToTemp', () => {
  it('hands the file over and removes it afterwards', async () => {
    const { app, seen } = appWithLimit(1024)
    const res = await app.request('/up', upload('a,b\n1,2\n'))
    expect(await res.json()).toEqual({ name: 'staff.csv', text: 'a,b\n1,2\n' })
    expect(existsSync(seen[0])).toBe(false)
  })

  it('answers 413 naming the file and the real limit', async () => {
    const { app, seen } = appWithLimit(1536)
    const res = await app.request('/up', upload('x'.repeat(4000)))
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'The file is larger than the limit of 1.5 KB',
        details: [{ path: 'file', message: 'is larger than 1.5 KB' }],
      },
    })
    expect(seen).toEqual([])
  })

  it("answers the 413 and a body that is no upload in the workspace's language", async () => {
    const { app } = appWithLimit(1536)
    const headers = { 'x-trellis-locale': 'zh-CN' }
    const res = await app.request('/up', { ...upload('x'.repeat(4000)), headers })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: 'payload_too_large',
      message: '文件超过了 1.5 KB 的大小上限',
      details: [{ path: 'file', message: '超过了 1.5 KB' }],
    })
    const text = await app.request('/up', {
      method: 'POST',
      headers: { 'x-trellis-locale': 'ko', 'content-type': 'text/plain' },
      body: 'a,b',
    })
    expect(text.status).toBe(415)
    expect(((await text.json()) as { error: unknown }).error).toMatchObject({
      message: '파일은 multipart/form-data 형식으로 보내세요',
      details: [{ path: 'body', message: 'multipart/form-data 형식이어야 합니다' }],
    })
    const broken = await app.request('/up', {
      method: 'POST',
      headers: {
        'x-trellis-locale': 'ko',
        'content-type': 'multipart/form-data; boundary=x',
      },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nab',
    })
    expect(((await broken.json()) as { error: unknown }).error).toMatchObject({
      message: 'multipart 본문의 형식이 잘못되었습니다',
      details: [{ path: 'body', message: '올바른 multipart/form-data 형식이 아닙니다' }],
    })
    expect(broken.status).toBe(422)
  })

  it('has the body limit name its own size, not a fixed one', async () => {
    const { app } = appWithLimit(1024)
    const res = await app.request('/json', { method: 'POST', body: 'y'.repeat(3000) })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { details: unknown } }).error.details).toEqual([
      { path: 'body', message: 'is larger than 2 KB' },
    ])
  })
})

describe('toByteSize', () => {
  it('reads round limits in their unit and odd ones in bytes', () => {
    expect(toByteSize(200 * 1024 * 1024)).toBe('200 MB')
    expect(toByteSize(1024 * 1024)).toBe('1 MB')
    expect(toByteSize(1536)).toBe('1.5 KB')
    expect(toByteSize(2000)).toBe('2000 bytes')
  })
})
