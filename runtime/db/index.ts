export type { Db, QueryOptions, Row } from './db'
export { openDb, type OpenDbOptions } from './open'
export { migratePlatform } from './migrate'
export * as platform from './platform-schema'
