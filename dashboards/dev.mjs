/* Development server: builds the app from src/ on every page load (esbuild takes a
   fraction of a second) and forwards /api and /js to a running Parcours node, so a
   change shows on reload without rebuilding the Rust binary.
   Usage: PARCOURS_URL=http://127.0.0.1:8100 node dev.mjs [port] */

import { createServer, request } from 'node:http'
import { buildAll } from './build.mjs'

const backend = new URL(process.env.PARCOURS_URL || 'http://127.0.0.1:8000')
const port = +(process.argv[2] || 5173)
const VIEWS = ['/', '/funnels', '/journeys', '/attribution', '/realtime', '/settings', '/invite']
const isPage = (path) => VIEWS.includes(path) || /^\/share\/[^/]+$/.test(path)
let files = null

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname
  if (path.startsWith('/api/') || path.startsWith('/js/')) {
    const fwd = request({ host: backend.hostname, port: backend.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers)
      r.pipe(res)
    })
    fwd.on('error', (e) => res.writeHead(502).end(String(e)))
    return req.pipe(fwd)
  }
  try {
    if (isPage(path)) files = await buildAll()
    files ??= await buildAll()
  } catch (e) {
    return res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e))
  }
  const name = isPage(path) ? 'index.html' : path.slice(1)
  const body = files.get(name)
  if (body === undefined) return res.writeHead(404).end('not found')
  const type = name.endsWith('.js') ? 'application/javascript' : name.endsWith('.css') ? 'text/css' : 'text/html'
  res.writeHead(200, { 'content-type': type + '; charset=utf-8', 'cache-control': 'no-store' }).end(body)
}).listen(port, '127.0.0.1', () => console.log(`dashboard dev server on http://127.0.0.1:${port} → ${backend.origin}`))
