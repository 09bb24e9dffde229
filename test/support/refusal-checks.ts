import { expect } from 'vitest'
import type { AppFixture } from './app-fixture'
import { signInSalesReps } from './sales-reps'

/** The languages the refusal tests speak to besides English. */
export type RefusalLang = 'zh-CN' | 'ko'

type Issue = { path: string; message: string }

/** The error body the server answers. */
export type RefusalBody = { code: string; message: string; details: Issue[] }

/** What a refusal must read: its status, message and details, and what the caller sent. */
export interface WantedRefusal {
  status: number
  message: string
  details: Issue[]
  /** Texts the caller sent (a name, an id, a path), quoted as sent: may hold Latin letters. */
  sent?: string[]
}

/**
 * Checks the refusal answered `res`: its status, message and details, and no Latin letters in
 * its words but what the caller sent.
 * @example expectRefusal(res, { status: 400, message: '搜索内容无效', details: [...] })
 */
export function expectRefusal(
  res: { status: number; body: Record<string, unknown> },
  want: WantedRefusal,
): void {
  expect(res.status, JSON.stringify(res.body)).toBe(want.status)
  const error = res.body.error as RefusalBody
  expect(error.message).toBe(want.message)
  expect(error.details).toEqual(want.details)
  let words = [error.message, ...error.details.map((d) => d.message)].join(' ')
  for (const sent of want.sent ?? []) words = words.replaceAll(sent, '')
  expect(words).not.toMatch(/[A-Za-z]/)
}

/**
 * A multipart POST of one file (part `file`) with a bearer token, answered as status and body.
 * @example await postFile(fx, token, '/api/import/preview?entity=customer', 'Name\n', 'a.csv')
 */
export async function postFile(
  fx: Pick<AppFixture, 'app'>,
  token: string,
  path: string,
  text: string,
  name: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData()
  form.append('file', new Blob([text]), name)
  const headers = { authorization: `Bearer ${token}` }
  const res = await fx.app.request(path, { method: 'POST', headers, body: form })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/**
 * One signed-in sales rep per language, each with that language saved as theirs, over a
 * fixture that published the shipped modules: their bearer tokens and user ids by language.
 * @example const reps = await signInSpeakers(fx, { 'zh-CN': 'repZh', ko: 'repKo' })
 */
export async function signInSpeakers(
  fx: AppFixture,
  names: Record<RefusalLang, string>,
): Promise<{ tokens: Record<RefusalLang, string>; ids: Record<RefusalLang, string> }> {
  const reps = await signInSalesReps(fx, Object.values(names))
  const out = { tokens: {}, ids: {} } as Awaited<ReturnType<typeof signInSpeakers>>
  for (const [lang, name] of Object.entries(names) as [RefusalLang, string][]) {
    out.tokens[lang] = reps.tokens[name]
    out.ids[lang] = reps.ids[name]
    const body = { locale: lang }
    const saved = await fx.call('PATCH', '/api/auth/me', { token: out.tokens[lang], body })
    expect(saved.status, await saved.text()).toBe(200)
  }
  return out
}
