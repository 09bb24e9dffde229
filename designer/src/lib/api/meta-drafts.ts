import type { Role } from '$metadata/role'
import { api } from './client'

/** One readable step of a schema plan (as POST /api/meta/plan answers it). */
export interface PlanStep {
  kind: string
  entity: string
  field?: string
  description: string
  destructive: boolean
}

/** What applying the drafts changes. */
export interface SchemaPlan {
  steps: PlanStep[]
  destructive: boolean
}

/** Saves a role definition as a draft (validated by the server: 422 with paths). */
export async function saveRoleDraft(role: Role): Promise<void> {
  await api(`/api/meta/roles/${encodeURIComponent(role.id)}`, { method: 'PUT', body: role })
}

/** What applying the drafts would do. */
export function planDrafts(): Promise<SchemaPlan> {
  return api<SchemaPlan>('/api/meta/plan', { method: 'POST' })
}

/** Publishes the drafts and answers the plan carried out and the new metadata version. */
export function applyDrafts(): Promise<{ plan: SchemaPlan; version: number }> {
  return api('/api/meta/apply', { method: 'POST', body: {} })
}
