import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../../runtime/context'
import { createRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { listAppSequences, repairSequences } from '../../runtime/schema'
import { testTargets } from '../support/databases'
import { openRecordsFixture, type RecordsFixture } from './records-fixture'

const label = (en: string) => ({ en })

const ticket = (name: string, pattern: string): Entity => ({
  id: 'ticket',
  label: label('Ticket'),
  fields: [
    { name: 'title', type: 'text', label: label('Title') },
    { id: 'number', name, type: 'autoNumber', pattern, label: label('Number') },
  ],
})

describe.each(testTargets())('sequential auto-numbers on $name', (target) => {
  let f: RecordsFixture
  let ctx: Ctx
  const publish = async (entity: Entity) => {
    const { meta, plan } = await publishMetadata(
      f.ctx,
      { ...f.meta.bundle, entities: [...f.meta.bundle.entities, entity] },
      { confirmDestructive: true },
    )
    ctx = { ...f.ctx, meta }
    return plan.steps.map((s) => s.kind)
  }
  const create = async () => (await createRecord(ctx, 'ticket', {})).record.number as string
  const counter = async () => {
    const rows = await f.db.query<{ value: number }>(
      sql`select value from auto_numbers where entity = 'ticket' and field = 'number' and period = ''`,
    )
    return rows[0]?.value ?? null
  }

  beforeAll(async () => {
    f = await openRecordsFixture(target)
  })
  afterAll(() => f?.close())

  it('never repeats a sequence number across 50 simultaneous creates', async () => {
    expect(await publish(ticket('number', 'T-{#####}'))).toContain('createSequence')
    expect(await listAppSequences(f.db)).toEqual(['ticket_number_seq'])
    const numbers = await Promise.all(Array.from({ length: 50 }, create))
    expect(new Set(numbers).size).toBe(50)
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `T-${String(i + 1).padStart(5, '0')}`),
    )
    // No counter row is locked or written on this path.
    expect(await counter()).toBeNull()
  })

  it('renames the sequence with its field and keeps counting', async () => {
    expect(await publish(ticket('ref', 'T-{#####}'))).toEqual(['renameColumn', 'renameSequence'])
    expect(await listAppSequences(f.db)).toEqual(['ticket_ref_seq'])
    expect((await createRecord(ctx, 'ticket', {})).record.ref).toBe('T-00051')
  })

  it('keeps the last number as the counter when the pattern turns periodic, and resumes after it', async () => {
    expect(await publish(ticket('ref', 'T-{YYYY}-{#####}'))).toEqual(['dropSequence'])
    expect(await listAppSequences(f.db)).toEqual([])
    expect(await counter()).toBe(51)
    expect((await createRecord(ctx, 'ticket', {})).record.ref).toBe('T-2026-00001')
    expect(await publish(ticket('ref', 'T-{#####}'))).toEqual(['createSequence'])
    expect((await createRecord(ctx, 'ticket', {})).record.ref).toBe('T-00052')
  })

  it('gives an instance from before sequences its sequence, started after the counter row', async () => {
    // As an older release left it: no sequence, the counter row at 80.
    await f.db.query(sql`drop sequence app.ticket_ref_seq`)
    await f.db.query(
      sql`update auto_numbers set value = 80 where entity = 'ticket' and field = 'number' and period = ''`,
    )
    expect(await repairSequences(f.db, ctx.meta.bundle.entities)).toBe(1)
    expect(await repairSequences(f.db, ctx.meta.bundle.entities)).toBe(0)
    expect((await createRecord(ctx, 'ticket', {})).record.ref).toBe('T-00081')
    // A publish with unchanged metadata also creates a missing sequence.
    await f.db.query(sql`drop sequence app.ticket_ref_seq`)
    await f.db.query(
      sql`update auto_numbers set value = 90 where entity = 'ticket' and field = 'number' and period = ''`,
    )
    expect(await publish(ticket('ref', 'T-{#####}'))).toEqual(['createSequence'])
    expect((await createRecord(ctx, 'ticket', {})).record.ref).toBe('T-00091')
  })
})
