import { describeFileStoreConformance } from './file-store-conformance'
import { createMemoryFileStore } from './memory-file-store'

describeFileStoreConformance('in-process', () => createMemoryFileStore())
