import { validateDefinition } from '../../metadata/validate'
import { publishMetadata, validateBundle, type MetadataBundle } from '../../runtime/registry'
import type { SchemaPlan } from '../../runtime/schema'
import { openInstance } from './open-instance'
import { readBundle, readMetadataFiles } from './read-bundle'

const KIND = {
  roles: 'role',
  packages: 'package',
  entities: 'entity',
  forms: 'form',
  views: 'view',
} as const

/** `trellis validate`: every file against its schema, then every reference across them. */
export function runValidate(paths: string[]): number {
  const files = readMetadataFiles(paths.length ? paths : ['seeds'])
  let problems = 0
  for (const file of files) {
    for (const issue of validateDefinition(KIND[file.key], file.doc)) {
      problems++
      console.log(`${file.path}: ${issue.path || '(root)'}: ${issue.message}`)
    }
  }
  if (!problems) {
    const bundle: MetadataBundle = { packages: [], entities: [], forms: [], views: [], roles: [] }
    for (const f of files) {
      const { $schema: _s, ...doc } = f.doc as Record<string, unknown>
      ;(bundle[f.key] as unknown[]).push(doc)
    }
    for (const issue of validateBundle(bundle)) {
      problems++
      console.log(`${issue.path}: ${issue.message}`)
    }
  }
  console.log(
    problems
      ? `${problems} problem(s) in ${files.length} file(s)`
      : `${files.length} file(s) valid`,
  )
  return problems ? 1 : 0
}

/** Prints a plan as a readable diff. */
export function printPlan(plan: SchemaPlan): void {
  if (!plan.steps.length) console.log('No schema changes.')
  for (const step of plan.steps) {
    console.log(`${step.destructive ? '!' : '+'} ${step.kind.padEnd(16)} ${step.description}`)
    console.log(`    ${step.sql.replace(/\n/g, '\n    ')}`)
  }
  if (plan.destructive)
    console.log('\nSteps marked ! destroy data: apply them with --confirm-destructive.')
}

/** `trellis plan`: what publishing a folder of metadata would change. */
export async function runPlan(dir = 'seeds'): Promise<number> {
  const { ctx, db } = await openInstance()
  try {
    const { plan } = await publishMetadata(ctx, readBundle(dir), { dryRun: true })
    printPlan(plan)
    return 0
  } finally {
    await db.close()
  }
}

/** `trellis apply`: publishes a folder of metadata in one transaction. */
export async function runApply(dir = 'seeds', confirmDestructive = false): Promise<number> {
  const { ctx, db } = await openInstance()
  try {
    const { plan, meta } = await publishMetadata(ctx, readBundle(dir), { confirmDestructive })
    printPlan(plan)
    console.log(`Published metadata version ${meta.version}.`)
    return 0
  } finally {
    await db.close()
  }
}
