import type { Entity } from '$metadata/entity'
import type { Form } from '$metadata/form'
import type { Pool } from '$metadata/pool'
import type { Labels } from '$metadata/labels'
import type { Action } from '$metadata/role'
import type { ListView, View } from '$metadata/view'
import { api, unwrap } from './client'

/** A module in the sidebar: its entity ids in navigation order. */
export interface NavPackage {
  id: string
  label: Labels
  entities: string[]
}

/** What the caller may do with an entity's records (GET /api/meta/entities, per user). */
export interface EntityCan {
  /** Actions a role grants (read, create, update, delete, export, …). */
  actions: Action[]
  /** Fields the caller may read but not write (a child table's as `lines.unitPrice`). */
  readOnlyFields: string[]
}

/** What GET /api/meta/entities lists: enough for labels and navigation, not for forms. */
export type EntitySummary = Pick<
  Entity,
  'id' | 'label' | 'pluralLabel' | 'childOf' | 'titleField'
> & {
  module?: string | null
  can?: EntityCan
}

// Published metadata changes rarely during a session: fetch once per page load.
const cache = new Map<string, Promise<unknown>>()

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined
  if (!hit) {
    hit = load()
    hit.catch(() => cache.delete(key))
    cache.set(key, hit)
  }
  return hit
}

/** Forgets fetched metadata (another user may see other definitions after signing in). */
export function clearMetaCache(): void {
  cache.clear()
}

function list<T>(payload: unknown): T[] {
  const data = unwrap<unknown>(payload)
  return Array.isArray(data) ? (data as T[]) : []
}

const one = (kind: string, id: string) => `/api/meta/${kind}/${encodeURIComponent(id)}`

/** The installed modules with their entity ids, in sidebar order. */
export function loadPackages(): Promise<NavPackage[]> {
  return cached('packages', async () => list<NavPackage>(await api('/api/meta/packages')))
}

/** Summaries of every published entity (labels, title field). */
export function loadEntitySummaries(): Promise<EntitySummary[]> {
  return cached('entities', async () => list<EntitySummary>(await api('/api/meta/entities')))
}

/**
 * What the signed-in caller may do with the entity's records; undefined when the server does
 * not say (the workspace then offers everything and the server still decides).
 */
export async function loadEntityCan(id: string): Promise<EntityCan | undefined> {
  return (await loadEntitySummaries()).find((e) => e.id === id)?.can
}

/** One entity's full definition; throws ApiError(404) when it is not published. */
export function loadEntity(id: string): Promise<Entity> {
  return cached(`entity:${id}`, () => api<Entity>(one('entities', id)))
}

/** The entity's first list view, if it has one. */
export function loadListView(entityId: string): Promise<ListView | undefined> {
  return cached(`views:${entityId}`, async () => {
    const views = list<View>(await api('/api/meta/views', { query: { entity: entityId } }))
    const summary = views.find((v) => v.type === 'list' && v.entity === entityId)
    return summary ? api<ListView>(one('views', summary.id)) : undefined
  })
}

/** The entity's form, if one is published (the renderer falls back to all fields). */
export function loadForm(entityId: string): Promise<Form | undefined> {
  return cached(`form:${entityId}`, async () => {
    const forms = list<Form>(await api('/api/meta/forms', { query: { entity: entityId } }))
    const summary = forms.find((f) => f.entity === entityId)
    return summary ? api<Form>(one('forms', summary.id)) : undefined
  })
}

/** A published pool or assignment rule in a list. */
export type PoolSummary = Pick<Pool, 'id' | 'label' | 'type' | 'entity'>

/** The published pools and assignment rules of an entity, as summaries (an empty list: none). */
export function loadPoolSummaries(entityId: string): Promise<PoolSummary[]> {
  return cached(`pool-list:${entityId}`, async () =>
    list<PoolSummary>(await api('/api/meta/pools', { query: { entity: entityId } })),
  )
}

/**
 * The published pools (and assignment rules) of an entity, as full definitions: every signed-in
 * reader may read them, unlike /api/pools, which lists only the pools the caller works in.
 * @example (await loadPoolDefinitions('customer')).map((p) => p.id) // ['east', 'south']
 */
export function loadPoolDefinitions(entityId: string): Promise<Pool[]> {
  return cached(`pools:${entityId}`, async () => {
    const pools = await loadPoolSummaries(entityId)
    return Promise.all(pools.map((p) => api<Pool>(one('pools', p.id))))
  })
}
