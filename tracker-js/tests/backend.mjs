/* Analytics backend for the behaviour tests: serves the tracker and records beacons exactly as
   sent; tests only see {scriptUrl, apiUrl, events(), stop()}. The same chain through the real
   Rust server and ClickHouse is tested in real-server.test.mjs (run when PARCOURS_BIN is set). */

import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'

const dist = new URL('../dist/', import.meta.url)

// Host name the tracker is served from; test browsers map it to 127.0.0.1, making beacons cross-origin.
export const STATS_HOST = 'stats.test'

export async function startBackend() {
  return startMock()
}

async function startMock() {
  const received = []
  const server = createServer((req, res) => {
    const file = req.method == 'GET' && req.url.match(/^\/js\/(parcours(?:\.auto)?\.js)$/)
    if (file) {
      res.writeHead(200, { 'Content-Type': 'application/javascript' })
      return res.end(readFileSync(new URL(file[1], dist)))
    }
    if (req.method == 'POST' && req.url == '/api/event') {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        received.push(JSON.parse(body))
        res.writeHead(202, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' })
        res.end('ok')
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://${STATS_HOST}:${server.address().port}`
  return {
    scriptUrl: `${origin}/js/parcours.js`,
    apiUrl: `${origin}/api/event`,
    events: async () => received.map(({ n, u, d, r, p, h, m, c }) => ({ n, u, d, r, p, h, m, c })),
    stop: () => new Promise((resolve) => server.close(resolve)),
  }
}
