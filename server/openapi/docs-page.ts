/**
 * GET /api/docs: one self-contained page (no CDN — installs may have no network) that fetches
 * /api/openapi.json and lists the operations by tag, with their parameters and schemas.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trellis API</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f7f8fa }
  header { background: #1d3b2a; color: #fff; padding: 14px 24px }
  header h1 { margin: 0; font-size: 18px }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 24px }
  h2 { margin: 28px 0 8px; font-size: 16px; border-bottom: 1px solid #d5dae0; padding-bottom: 4px }
  details { background: #fff; border: 1px solid #d5dae0; border-radius: 6px; margin: 6px 0 }
  summary { cursor: pointer; padding: 8px 10px; display: flex; gap: 10px; align-items: baseline }
  .m { font: 600 12px monospace; padding: 2px 6px; border-radius: 4px; color: #fff; min-width: 52px; text-align: center }
  .get { background: #2f6fb3 } .post { background: #2e8b57 } .put, .patch { background: #b7791f }
  .delete { background: #b83232 }
  .path { font-family: monospace } .sum { color: #5b6670 }
  .body { padding: 0 12px 12px } table { border-collapse: collapse; width: 100% }
  td, th { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top }
  pre { background: #f1f3f5; padding: 8px; border-radius: 4px; overflow: auto; max-height: 420px }
  input { padding: 6px 8px; width: 320px; border: 1px solid #c4cad1; border-radius: 4px }
</style>
</head>
<body>
<header><h1>Trellis API <span id="version"></span></h1></header>
<main>
<p><input id="q" type="search" placeholder="Filter operations…" aria-label="Filter operations">
 · <a href="/api/openapi.json">openapi.json</a></p>
<div id="out">Loading…</div>
</main>
<script>
const el = (tag, attrs = {}, ...kids) => {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v)
  for (const kid of kids) node.append(kid)
  return node
}
let doc
const resolve = (node, seen = new Set()) => {
  if (Array.isArray(node)) return node.map((n) => resolve(n, seen))
  if (!node || typeof node !== 'object') return node
  if (typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) return { $ref: node.$ref }
    const target = node.$ref.slice(2).split('/').reduce((o, k) => o && o[k], doc)
    return resolve(target, new Set([...seen, node.$ref]))
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, seen)]))
}
const schemaBlock = (label, schema) =>
  el('div', {}, el('strong', {}, label), el('pre', {}, JSON.stringify(resolve(schema), null, 2)))
const operation = (method, path, op) => {
  const body = el('div', { class: 'body' })
  const params = (op.parameters || []).map((p) => resolve(p))
  if (params.length) {
    const rows = params.map((p) => el('tr', {}, el('td', {}, p.name), el('td', {}, p.in),
      el('td', {}, JSON.stringify(p.schema || {})), el('td', {}, p.description || '')))
    body.append(el('strong', {}, 'Parameters'), el('table', {}, ...rows))
  }
  const req = op.requestBody && resolve(op.requestBody).content?.['application/json']
  if (req) body.append(schemaBlock('Request body', req.schema))
  for (const [status, res] of Object.entries(op.responses || {})) {
    const r = resolve(res)
    const schema = r.content?.['application/json']?.schema
    body.append(schema ? schemaBlock(status + ' ' + (r.description || ''), schema)
      : el('div', {}, el('strong', {}, status + ' '), r.description || ''))
  }
  return el('details', { 'data-text': (method + ' ' + path + ' ' + (op.summary || '')).toLowerCase() },
    el('summary', {}, el('span', { class: 'm ' + method }, method.toUpperCase()),
      el('span', { class: 'path' }, path), el('span', { class: 'sum' }, op.summary || '')), body)
}
const render = () => {
  const groups = new Map((doc.tags || []).map((t) => [t.name, []]))
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ['other'])[0]
      if (!groups.has(tag)) groups.set(tag, [])
      groups.get(tag).push(operation(method, path, op))
    }
  const out = document.getElementById('out')
  out.replaceChildren()
  for (const [tag, ops] of groups) {
    if (!ops.length) continue
    const info = (doc.tags || []).find((t) => t.name === tag)
    out.append(el('section', {}, el('h2', {}, tag + (info?.description ? ' — ' + info.description : '')), ...ops))
  }
}
document.getElementById('q').addEventListener('input', (e) => {
  const q = e.target.value.toLowerCase()
  for (const d of document.querySelectorAll('details'))
    d.style.display = d.dataset.text.includes(q) ? '' : 'none'
})
fetch('/api/openapi.json').then((r) => r.json()).then((d) => {
  doc = d
  document.getElementById('version').textContent = 'metadata v' + d.info.version
  render()
}).catch((err) => { document.getElementById('out').textContent = 'Could not load: ' + err })
</script>
</body>
</html>
`
