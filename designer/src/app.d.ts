// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface PageState {
      /** The title of a record just returned to a pool (the pool page says so). */
      released?: string
    }
  }
}

export {}
