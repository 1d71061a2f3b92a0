// A tiny server for dev.html and the browser check: serves the built composer and mocks
// the draft and upload endpoints. Usage: node dev-server.mjs [port]
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const here = path.dirname(fileURLToPath(import.meta.url))
const staticRoot = path.resolve(here, '../src/folkmoot/static')
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8' }

export function startServer(port = 0, { draft = null } = {}) {
  const state = { draft, log: [], uploads: 0, conflict: false }
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x')
    const chunks = []
    for await (const c of req) chunks.push(c)
    const body = Buffer.concat(chunks)
    state.log.push({ method: req.method, path: url.pathname, csrf: req.headers['x-csrftoken'] || null, body: body.toString('latin1').slice(0, 2000) })
    const json = (status, data) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(data === undefined ? '' : JSON.stringify(data)) }
    try {
      if (url.pathname === '/' || url.pathname === '/dev.html') {
        let html = await readFile(path.join(here, 'dev.html'), 'utf8')
        if (url.searchParams.has('guest')) {
          // A guest: no server drafts, no uploads.
          html = html.replace(/\s*data-draft-url="[^"]*"/, '').replace(/\s*data-upload-url="[^"]*"/, '')
            .replace('data-can-upload="true"', 'data-can-upload="false"').replace(':user-5"', ':guest"')
        }
        if (url.searchParams.has('posted')) html = html.replace('data-composer\n', 'data-composer data-draft-posted\n')
        res.writeHead(200, { 'Content-Type': TYPES['.html'] })
        return res.end(html)
      }
      if (url.pathname.startsWith('/static/')) {
        const file = path.resolve(staticRoot, '.' + url.pathname.slice('/static'.length))
        if (!file.startsWith(staticRoot)) return json(404, {})
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' })
        return res.end(await readFile(file))
      }
      if (url.pathname === '/drafts/topic-12/') {
        if (req.method === 'GET') return state.draft ? json(200, state.draft) : json(404, { error: 'No draft.' })
        if (req.method === 'DELETE') { state.draft = null; return json(204) }
        if (req.method === 'PUT') {
          const d = JSON.parse(body.toString('utf8'))
          const cur = state.draft ? state.draft.seq : 0
          if (state.conflict || d.seq !== cur) return json(409, { error: 'This draft was changed in another window. Reload to see the newer text.' })
          state.draft = { body: d.body, seq: cur + 1 }
          return json(200, { seq: cur + 1 })
        }
      }
      if (url.pathname === '/uploads/' && req.method === 'POST') {
        if (body.includes('name="url"') && body.includes('bad.example')) return json(400, { error: 'That address did not return an image.' })
        state.uploads++
        return json(201, { id: state.uploads, url: `/media/attachments/2026/${state.uploads}/x.webp`, width: 800, height: 600 })
      }
      if (url.pathname === '/t/12-slug/reply/' && req.method === 'POST') {
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        return res.end(body)
      }
      json(404, { error: 'Not found.' })
    } catch (e) {
      json(500, { error: String(e) })
    }
  })
  return new Promise(resolve => server.listen(port, '127.0.0.1', () => resolve({ server, state, port: server.address().port })))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port } = await startServer(Number(process.argv[2] || 8765))
  console.log(`composer harness: http://127.0.0.1:${port}/`)
}
