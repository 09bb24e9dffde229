/**
 * The one demo organisation: its company, departments, positions and people. The platform org
 * (departments, positions, users with managers) is made from these lists, and the demo records
 * name the same people and departments, so every login is an employee with a personnel file and
 * the records belong to the people whose work they are.
 */

/** The demo company: the root of the one department tree. */
export const DEMO_COMPANY = 'Trellis Demo Co.'

/** A department under the company (or under `parent`), headed by `head`. */
export interface DemoDepartment {
  name: string
  parent?: string
  head?: string
}

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { name: 'Sales', head: 'director' },
  { name: 'Sales East', parent: 'Sales', head: 'mgr_east' },
  { name: 'Sales West', parent: 'Sales', head: 'mgr_west' },
  { name: 'Service', head: 'agent1' },
  { name: 'HR', head: 'hr1' },
  { name: 'Finance', head: 'fin1' },
]

/** A position and the department it belongs to (the company when none). */
export interface DemoPosition {
  name: string
  department?: string
}

export const DEMO_POSITIONS: DemoPosition[] = [
  { name: 'Administrator' },
  { name: 'Sales director', department: 'Sales' },
  { name: 'Sales manager', department: 'Sales' },
  { name: 'Sales representative', department: 'Sales' },
  { name: 'Service agent', department: 'Service' },
  { name: 'HR specialist', department: 'HR' },
  { name: 'Accountant', department: 'Finance' },
]

/** A demo login and the facts of their personnel file. */
export interface DemoPerson {
  username: string
  displayName: string
  /** The department's name; the company when left out. */
  department?: string
  manager?: string
  /** The role besides `employee`, which everyone holds. */
  role: string
  position: string
  gender: 'female' | 'male'
}

/**
 * The demo people, managers before their reports. `admin` is made apart (ensureDemoAdmin) and
 * only placed here; everyone else signs in with the demo password.
 */
export const DEMO_PEOPLE: DemoPerson[] = [
  {
    username: 'admin',
    displayName: 'Administrator',
    role: 'admin',
    position: 'Administrator',
    gender: 'female',
  },
  {
    username: 'director',
    displayName: 'Dana Director',
    department: 'Sales',
    role: 'salesDirector',
    position: 'Sales director',
    gender: 'female',
  },
  {
    username: 'mgr_east',
    displayName: 'Evan East',
    department: 'Sales East',
    manager: 'director',
    role: 'salesManager',
    position: 'Sales manager',
    gender: 'male',
  },
  {
    username: 'mgr_west',
    displayName: 'Wendy West',
    department: 'Sales West',
    manager: 'director',
    role: 'salesManager',
    position: 'Sales manager',
    gender: 'female',
  },
  {
    username: 'rep_east1',
    displayName: 'Emma Rep',
    department: 'Sales East',
    manager: 'mgr_east',
    role: 'salesRep',
    position: 'Sales representative',
    gender: 'female',
  },
  {
    username: 'rep_east2',
    displayName: 'Eli Rep',
    department: 'Sales East',
    manager: 'mgr_east',
    role: 'salesRep',
    position: 'Sales representative',
    gender: 'male',
  },
  {
    username: 'rep_west1',
    displayName: 'Will Rep',
    department: 'Sales West',
    manager: 'mgr_west',
    role: 'salesRep',
    position: 'Sales representative',
    gender: 'male',
  },
  {
    username: 'agent1',
    displayName: 'Sam Agent',
    department: 'Service',
    role: 'serviceAgent',
    position: 'Service agent',
    gender: 'male',
  },
  {
    username: 'hr1',
    displayName: 'Hana HR',
    department: 'HR',
    role: 'hrClerk',
    position: 'HR specialist',
    gender: 'female',
  },
  {
    username: 'fin1',
    displayName: 'Finn Finance',
    department: 'Finance',
    role: 'finance',
    position: 'Accountant',
    gender: 'male',
  },
]

/** Who does the work of each kind of demo record (the rest goes to the sales people). */
export const DEMO_WORKERS = {
  sales: ['rep_east1', 'rep_east2', 'rep_west1', 'mgr_east', 'mgr_west'],
  service: ['agent1'],
  hr: ['hr1'],
}

const USER_MARK = 'demo-user:'
const DEPARTMENT_MARK = 'demo-department:'

/** The value a demo record gives a user field: the demo person, resolved by the loader. */
export function toDemoUser(username: string): string {
  return `${USER_MARK}${username}`
}

/** The value a demo record gives a department field: the demo department (the company if none). */
export function toDemoDepartment(name: string | undefined): string {
  return `${DEPARTMENT_MARK}${name ?? DEMO_COMPANY}`
}

/** The username a user field's demo value names, or null when it names none. */
export function demoUsernameOf(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith(USER_MARK)
    ? value.slice(USER_MARK.length)
    : null
}

/** The department name a department field's demo value names, or null when it names none. */
export function demoDepartmentOf(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith(DEPARTMENT_MARK)
    ? value.slice(DEPARTMENT_MARK.length)
    : null
}
