import adapter from '@sveltejs/adapter-static'
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

/**
 * The workspace is a single-page app: the Hono server serves `build/` with an SPA fallback
 * to index.html, on the same port as /api.
 * @type {import('@sveltejs/kit').Config}
 */
export const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false }),
    alias: {
      $metadata: '../metadata',
      '$runtime/forms': '../runtime/forms',
      '$runtime/rules': '../runtime/rules',
    },
  },
}

export default config
