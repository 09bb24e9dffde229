// Bundles the server and CLI into dist/trellis.mjs so a start loads one file instead of
// transpiling hundreds: startup on an existing data folder stays well under 2 s.
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Each module keeps its own `import.meta.url`, so paths to migrations, seeds and the designer hold. */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      const url = JSON.stringify(pathToFileURL(args.path).href)
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' }
    })
  },
}

/** Builds dist/trellis.mjs from server/cli/main.ts. */
export async function buildServer() {
  await build({
    absWorkingDir: root,
    entryPoints: ['server/cli/main.ts'],
    outfile: 'dist/trellis.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepModuleUrls],
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer()
