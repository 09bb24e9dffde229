import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { openImportFixture, type ImportFixture } from './import-fixture'

const CSV = 'Customer name,Employees\nHttp One,3\nHttp Two,lots\n'

describe.each(testTargets())('import over HTTP on $name', (target) => {
  let f: ImportFixture

  const upload = (path: string, token: string, text = CSV, name = 'customers.csv') => {
    const form = new FormData()
    form.append('file', new Blob([text], { type: 'text/csv' }), name)
    return Promise.resolve(
      f.app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      }),
    )
  }

  beforeAll(async () => {
    f = await openImportFixture(target)
  })
  afterAll(async () => f?.close())

  it('previews, runs with progress over SSE, and serves the error file', async () => {
    const preview = await upload('/api/import/preview?entity=customer', f.clerkToken)
    expect(preview.status).toBe(200)
    const shown = (await preview.json()) as {
      totalRows: number
      errors: { number: number; issues: { path: string }[] }[]
    }
    expect(shown.totalRows).toBe(2)
    expect(shown.errors).toMatchObject([{ number: 2, issues: [{ path: 'employees' }] }])
    expect(await f.count('Http %')).toBe(0)

    const started = await upload('/api/import?entity=customer', f.clerkToken)
    expect(started.status).toBe(202)
    const job = (await started.json()) as { id: string }
    const events = await f.call('GET', `/api/import/jobs/${job.id}/events`, { token: f.clerkToken })
    expect(events.headers.get('content-type')).toContain('text/event-stream')
    const text = await events.text()
    const end = /event: end\ndata: (.*)\n/.exec(text)
    expect(text).toContain('event: progress')
    expect(JSON.parse(end![1])).toMatchObject({ status: 'done', inserted: 1, failed: 1 })

    const file = await f.call('GET', `/api/import/jobs/${job.id}/errors`, { token: f.clerkToken })
    expect(file.status).toBe(200)
    expect(file.headers.get('content-disposition')).toContain('customers-errors.csv')
    expect(parseCsv(await file.text())).toEqual([
      ['Customer name', 'Employees', 'Import row', 'Import error'],
      ['Http Two', 'lots', '2', "employees: 'lots' is not a number"],
    ])
    // Another user's run is not found for them.
    const other = await f.call('GET', `/api/import/jobs/${job.id}`, { token: f.repToken })
    expect(other.status).toBe(404)
  })

  it('answers 403 to a rep without the import right, and 400 naming the part that is wrong', async () => {
    const refused = await upload('/api/import?entity=customer', f.repToken)
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ error: { details: [{ path: 'entity' }] } })
    const badMapping = await upload(
      `/api/import/preview?entity=customer&mapping=${encodeURIComponent('{"Customer name":"name; drop table users"}')}`,
      f.clerkToken,
    )
    expect(badMapping.status).toBe(400)
    expect(await badMapping.json()).toMatchObject({
      error: { details: [{ path: 'mapping.Customer name' }] },
    })
    const pdf = await upload('/api/import?entity=customer', f.clerkToken, '%PDF', 'x.pdf')
    expect(pdf.status).toBe(400)
    const missing = await upload('/api/import', f.clerkToken)
    expect(missing.status).toBe(422)
    expect(await f.count('Http One')).toBe(1)
  })
})
