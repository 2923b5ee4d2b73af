/* Times the dashboard in Chromium (Debian's, through playwright-core): from the start
   of navigation (Performance API) to a usable overview (headline figures, chart and
   every panel drawn, no placeholder left) and to a drawn funnel. The first visit runs
   in a fresh browser profile against a node that has not answered these queries
   since it started; later visits reuse the browser's cache, as a returning reader's.
   The browser signs in first as a server owner (EMAIL, PASSWORD).
   Usage: node bench/dashboard.mjs ORIGIN EMAIL PASSWORD SITE FUNNEL RUNS  → one JSON line. */

import { createRequire } from 'node:module'

const require = createRequire(new URL('../dashboards/package.json', import.meta.url))
const { chromium } = require('playwright-core')
const [origin, email, password, site, funnel, runs = '5'] = process.argv.slice(2)

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
})
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' })
const signin = await context.request.post(`${origin}/api/auth/login`, { data: { email, password } })
if (!signin.ok()) throw new Error(`sign-in: ${signin.status()}`)
const page = await context.newPage()

// Milliseconds from navigation start until the view has data everywhere and nothing loads.
async function usable(path, ready) {
  // A new document each time, as a visit would be.
  await page.goto('about:blank')
  await page.goto(`${origin}${path}${path.includes('?') ? '&' : '?'}site=${encodeURIComponent(site)}`)
  const handle = await page.waitForFunction(
    (sel) => {
      const done = document.querySelector(sel) && !document.querySelector('.loading, .stale, .skeleton')
      return done ? performance.now() : false
    },
    ready,
    { timeout: 600000, polling: 'raf' },
  )
  return Math.round(await handle.jsonValue())
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
const out = {}
for (const [name, path, ready] of [
  ['overview', '/', '[data-testid=stat-visitors] .stat-value[data-raw]:not([data-raw=""])'],
  ['funnel', `/funnels?funnel=${encodeURIComponent(funnel)}`, '[data-testid=funnel-steps]'],
]) {
  const first = await usable(path, ready)
  const warm = []
  for (let i = 0; i < +runs; i++) warm.push(await usable(path, ready))
  out[name] = { first, median: median(warm), min: Math.min(...warm), max: Math.max(...warm) }
}
console.log(JSON.stringify(out))
await browser.close()
