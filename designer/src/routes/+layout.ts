// A client-rendered workspace: the API lives on the same origin and sets the session cookie.
export const ssr = false
export const prerender = false
export const trailingSlash = 'never'
