import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
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
          testTimeout: 60_000,
          hookTimeout: 120_000,
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
          fileParallelism: false,
        },
      },
    ],
  },
})
