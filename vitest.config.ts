import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/** Integration files that drive child processes or private servers (see the 'processes' project). */
const PROCESS_FILES = [
  'test/integration/automation-faults.test.ts',
  'test/integration/cli-packages.test.ts',
  'test/integration/flows-two-processes.test.ts',
  'test/integration/import-kill.test.ts',
  'test/integration/jobs-bullmq.test.ts',
  'test/integration/jobs-cli.test.ts',
  'test/integration/jobs-worker-kill.test.ts',
]

export default defineConfig({
  test: {
    // Vitest's default is a worker fewer than the cores: one on a 2-core runner, which leaves a
    // core idle while a file waits on PostgreSQL, Redis or timers. Unit, integration and browser
    // files run on two; the process files still run one at a time, after them (vitest groups
    // projects without file parallelism apart, at the end).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // The workspace's aliases (designer/svelte.config.js), so its pure helpers test here too.
        resolve: {
          alias: {
            $metadata: new URL('./metadata', import.meta.url).pathname,
            $lib: new URL('./designer/src/lib', import.meta.url).pathname,
            '$runtime/rules': new URL('./runtime/rules', import.meta.url).pathname,
            '$runtime/forms': new URL('./runtime/forms', import.meta.url).pathname,
          },
        },
        test: {
          name: 'unit',
          include: [
            'metadata/**/*.test.ts',
            'runtime/**/*.test.ts',
            'server/**/*.test.ts',
            'seeds/**/*.test.ts',
            'bench/**/*.test.ts',
            'test/*.test.ts',
            'bin/**/*.test.ts',
            'designer/src/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: PROCESS_FILES,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Files that run several Trellis processes, kill them or restart a private PostgreSQL or
        // Redis, against deadlines: one at a time, after the two-worker group (as the browser
        // files): beside another heavy file the PostgreSQL-restart test lost its deadline.
        test: {
          name: 'processes',
          include: PROCESS_FILES,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // A run folder for the demo templates the files share (support/demo-template.ts).
          globalSetup: ['test/browser/support/global-setup.ts'],
          // A page answers after its requests do: on a loaded 2-core machine a reload's three
          // requests took more than expect.poll's default second (a CI failure in workspace.test).
          expect: { poll: { timeout: 15_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
