/* A hostile client guessing credentials as fast as it can for a few seconds, from one
   address: invalid API keys on POST /api/v2/query, then passwords of one account on
   POST /api/auth/login. Prints JSON: per kind, attempts per second, and how many were
   answered 401 (each a ClickHouse lookup or a password hash) or 429 (refused before).
   Usage: node bench/guess.mjs ORIGIN SITE EMAIL SECONDS CONCURRENCY */

const [origin, site, email, seconds = '10', concurrency = '32'] = process.argv.slice(2)

async function hammer(make) {
  const counts = {}
  let n = 0
  const end = Date.now() + Number(seconds) * 1000
  const started = Date.now()
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async (_, w) => {
      while (Date.now() < end) {
        const i = n++
        const r = await fetch(origin + make.path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.66', ...make.headers(i, w) },
          body: JSON.stringify(make.body(i)),
        })
        await r.arrayBuffer()
        counts[r.status] = (counts[r.status] || 0) + 1
      }
    }),
  )
  const s = (Date.now() - started) / 1000
  return { attempts: n, per_second: Math.round(n / s), seconds: s, answered_401: counts[401] || 0, answered_429: counts[429] || 0, other: Object.fromEntries(Object.entries(counts).filter(([k]) => k !== '401' && k !== '429')) }
}

const keys = await hammer({
  path: '/api/v2/query',
  headers: (i) => ({ authorization: `Bearer pk_${String(i).padStart(48, '0')}` }),
  body: () => ({ site_id: site, metrics: ['visitors'], date_range: 'day' }),
})
const logins = await hammer({
  path: '/api/auth/login',
  headers: () => ({}),
  body: (i) => ({ email, password: `guess number ${i}` }),
})
console.log(JSON.stringify({ keys, logins }))
