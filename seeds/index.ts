export { DEMO_ENTITY_ORDER, DEMO_TODAY, generateDemoData, type DemoRecord } from './demo-data'
export {
  loadSeedBundle,
  loadSeedPackage,
  loadSeedPackages,
  SEED_MODULE_DIRS,
  type SeedPackage,
} from './load-seed-packages'
