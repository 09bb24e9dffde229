import type { DemoContext } from './demo-context'
import { mobilePhone } from './names'
import { DEMO_PEOPLE, toDemoDepartment, toDemoUser } from './people'

/**
 * One personnel file per demo login, linked to the login (`account`) and to its platform
 * department: the organisation tree and positions are the platform's, never a second copy.
 */
export function makeEmployees(ctx: DemoContext): void {
  const { rng } = ctx
  DEMO_PEOPLE.forEach((person, i) => {
    const hired = -rng.int(90, 8 * 365)
    const employee = ctx.add('employee', {
      employeeNo: `E${10001 + i}`,
      name: person.displayName,
      gender: person.gender,
      account: toDemoUser(person.username),
      department: toDemoDepartment(person.department),
      mobile: mobilePhone(rng, 'en'),
      email: `${person.username.replace('_', '.')}@trellis-demo.example.com`,
      hireDate: ctx.day(hired),
      birthDate: ctx.day(hired - rng.int(22 * 365, 45 * 365)),
      status: 'active',
      address: null,
      emergencyContact: null,
    })
    ctx.localeOf.set(employee.id, 'en')
  })
}
