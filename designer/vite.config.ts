import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// SvelteKit reads svelte.config.js and writes .svelte-kit relative to the working directory,
// so `vite build designer` from the project root must run from here. The plugin is imported
// after the chdir because it captures the working directory when it loads. (SvelteKit also
// re-reads this file inside worker threads, which cannot chdir but already run from here.)
const designerDir = dirname(fileURLToPath(import.meta.url))
if (process.cwd() !== designerDir) process.chdir(designerDir)
const { sveltekit } = await import('@sveltejs/kit/vite')

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: { '/api': 'http://localhost:3000' },
    fs: { allow: ['..'] },
  },
})
