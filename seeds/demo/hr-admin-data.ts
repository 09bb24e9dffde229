import type { DemoContext, DemoRecord } from './demo-context'
import { mobilePhone, personName, type DemoLocale } from './names'

/** code, name, kind, parent code, locale of its staff, weight of its headcount */
const UNITS: [string, string, string, string | null, DemoLocale, number][] = [
  ['HQ', '锦程科技有限公司', 'company', null, 'zh', 1],
  ['SALES', '销售部', 'department', 'HQ', 'zh', 6],
  ['MKT', '市场部', 'department', 'HQ', 'zh', 2],
  ['SVC', '客户服务部', 'department', 'HQ', 'zh', 4],
  ['RND', '研发部', 'department', 'HQ', 'zh', 4],
  ['HR', '人力资源部', 'department', 'HQ', 'zh', 1],
  ['FIN', '财务部', 'department', 'HQ', 'zh', 1],
  ['SEL', '서울지사', 'branch', 'HQ', 'ko', 1],
  ['SEL-SALES', '영업팀', 'team', 'SEL', 'ko', 3],
  ['SEL-SVC', '고객지원팀', 'team', 'SEL', 'ko', 2],
]
/** unit code → [position name, grade] */
const POSITIONS: Record<string, [string, string][]> = {
  HQ: [['总经理', 'executive']],
  SALES: [
    ['销售总监', 'director'],
    ['销售经理', 'manager'],
    ['销售代表', 'staff'],
  ],
  MKT: [
    ['市场经理', 'manager'],
    ['市场专员', 'staff'],
  ],
  SVC: [
    ['客服主管', 'manager'],
    ['服务工程师', 'staff'],
  ],
  RND: [
    ['研发经理', 'manager'],
    ['软件工程师', 'senior'],
  ],
  HR: [['人事专员', 'staff']],
  FIN: [['会计', 'staff']],
  SEL: [['지사장', 'executive']],
  'SEL-SALES': [
    ['영업 대리', 'senior'],
    ['영업 사원', 'staff'],
  ],
  'SEL-SVC': [['기술 지원 엔지니어', 'staff']],
}

/** The organisation tree (head office, departments, Seoul branch) and its positions. */
export function makeOrganisation(ctx: DemoContext): Map<string, DemoRecord> {
  const byCode = new Map<string, DemoRecord>()
  UNITS.forEach(([code, name, kind, parent], i) => {
    byCode.set(
      code,
      ctx.add('orgDepartment', {
        name,
        code,
        kind,
        parent: parent ? byCode.get(parent)!.id : null,
        phone: i === 0 ? '021-55550100' : null,
        sortOrder: i * 10,
      }),
    )
  })
  for (const [code, list] of Object.entries(POSITIONS)) {
    for (const [name, grade] of list) {
      const base = { staff: 8, senior: 12, manager: 18, director: 28, executive: 40 }[grade]!
      ctx.add('position', {
        name,
        code: `${code}-${grade.toUpperCase()}`,
        orgDepartment: byCode.get(code)!.id,
        grade,
        headcount: grade === 'staff' ? ctx.rng.int(3, 12) : 1,
        salaryMin: ctx.money(base * 1000),
        salaryMax: ctx.money(base * 1600),
      })
    }
  }
  return byCode
}

/** Employees: the first of each unit heads it and is the manager of those after. */
export function makeEmployees(ctx: DemoContext, units: Map<string, DemoRecord>): void {
  const { rng } = ctx
  const positions = ctx.list('position')
  const heads = new Map<string, DemoRecord>()
  const weights = Object.fromEntries(UNITS.map(([code, , , , , w]) => [code, w]))
  const total = ctx.count(60)
  for (let i = 0; i < total; i++) {
    // the first employees head each unit, so every later one has a manager already made
    const code = i < UNITS.length ? UNITS[i][0] : rng.weighted(weights)
    const [, , , parentCode, locale] = UNITS.find((u) => u[0] === code)!
    const unitPositions = positions.filter((p) => p.orgDepartment === units.get(code)!.id)
    const position = heads.has(code) ? unitPositions[unitPositions.length - 1] : unitPositions[0]
    const manager = heads.get(code) ?? (parentCode ? heads.get(parentCode) : undefined)
    const person = personName(rng, locale)
    const hired = -rng.int(30, 8 * 365)
    const status = hired > -90 ? 'probation' : rng.weighted({ active: 18, onLeave: 1, resigned: 1 })
    const employee = ctx.add('employee', {
      employeeNo: `E${10001 + i}`,
      name: person.name,
      gender: rng.pick(['female', 'male']),
      orgDepartment: units.get(code)!.id,
      position: position?.id ?? null,
      manager: manager?.id ?? null,
      mobile: mobilePhone(rng, locale),
      email: `${person.handle}${i}@jincheng-tech.com`,
      hireDate: ctx.day(hired),
      birthDate: ctx.day(hired - rng.int(22 * 365, 45 * 365)),
      status,
      resignedOn: status === 'resigned' ? ctx.day(Math.min(0, hired + rng.int(60, 700))) : null,
      address: null,
      emergencyContact: rng.chance(0.5)
        ? `${personName(rng, locale).name} ${mobilePhone(rng, locale)}`
        : null,
    })
    ctx.localeOf.set(employee.id, locale)
    if (!heads.has(code)) heads.set(code, employee)
  }
}
