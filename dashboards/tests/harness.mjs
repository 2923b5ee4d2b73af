/* Browser-test harness: a private ClickHouse on a loopback port, `parcours demo` (the
   simulated clinic site, 30 days) and `parcours serve` from PARCOURS_BIN, and Debian's
   Chromium driven by playwright-core. Started once per test run (every view's tests
   are imported by run.test.mjs into one process), stopped after the last test.

   Each page a test opens records console errors, uncaught exceptions, dialogs and
   Content-Security-Policy violations, so a test can assert that nothing ran that should
   not have. Pages are signed in as the server's owner (`h.owner`) unless a test asks
   for a signed-out one; the owner account is created through the first-run endpoint the
   first time a signed-in page is asked for (tests/accounts.mjs, which runs first,
   creates it in the browser instead). */

import { spawn, execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const repo = new URL('../../', import.meta.url).pathname
export const SITE = 'demo.parcours.local'
/** Where screenshots go (under target/, which git ignores). */
export const SHOTS = join(repo, 'target/dashboard-screenshots')
export const DESKTOP = { width: 1366, height: 900 }
export const PHONE = { width: 390, height: 844 }

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function freePort() {
  const s = createServer()
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address()
  await new Promise((resolve) => s.close(resolve))
  return port
}

let started = null

/** The shared node, browser and helpers (started on first call). */
export function harness() {
  started ??= start()
  return started
}

async function start() {
  const bin = process.env.PARCOURS_BIN
  if (!bin) throw new Error('PARCOURS_BIN must name the parcours binary (scripts/test.sh sets it)')
  const work = mkdtempSync(join(tmpdir(), 'parcours-dash-'))
  let chUrl = process.env.PARCOURS_TEST_CLICKHOUSE_URL
  const chDir = join(work, 'clickhouse')
  if (!chUrl) {
    chUrl = execFileSync(join(repo, 'scripts/clickhouse.sh'), ['start', chDir, String(await freePort())]).toString().trim()
  }
  const env = {
    ...process.env,
    PARCOURS_CLICKHOUSE_URL: chUrl,
    PARCOURS_CLICKHOUSE_DATABASE: `dash_e2e_${process.pid}`,
    PARCOURS_DATA_DIR: join(work, 'data'),
    PARCOURS_FLUSH_INTERVAL_MS: '100',
    // Tests post beacons as many clients through X-Forwarded-For from loopback.
    PARCOURS_TRUSTED_PROXIES: '127.0.0.1/32',
    RUST_LOG: 'warn',
  }
  const key = execFileSync(bin, ['demo'], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  const port = await freePort()
  const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: 'ignore' })
  const origin = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60000
  for (;;) {
    try {
      if ((await fetch(origin + '/ready')).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('parcours serve did not become ready')
    await sleep(200)
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  rmSync(SHOTS, { recursive: true, force: true })
  mkdirSync(SHOTS, { recursive: true })

  let ownerReady = null
  const sessions = new Map()
  const h = {
    origin,
    key,
    /** The server owner's account (created by the first test, or on first use). */
    owner: { email: 'direction@clinique-exemple.fr', password: 'une phrase de passe solide' },
    chUrl,
    browser,
    /** A view's URL on the demo site (the session cookie is the credential). */
    url: (pathAndQuery) => `${origin}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}site=${SITE}`,
    /** Calls the API with the demo key (a full key); `method` defaults to GET or POST. */
    async api(path, body, method) {
      const r = await fetch(origin + path, {
        method: method || (body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const j = await r.json()
      if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`)
      return j
    },
    /** Posts a beacon as a browser would, from a client address of the test's choice. */
    async beacon(body, ip = '203.0.113.7') {
      const r = await fetch(origin + '/api/event', {
        method: 'POST',
        headers: {
          'content-type': 'text/plain',
          'x-forwarded-for': ip,
          'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        },
        body: JSON.stringify(body),
      })
      return r.status
    },
    /** Creates the owner account through the first-run endpoint if no account exists. */
    ensureOwner() {
      ownerReady ??= (async () => {
        const s = await (await fetch(origin + '/api/auth/setup')).json()
        if (!s.needed) return
        const r = await fetch(origin + '/api/auth/setup', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(h.owner),
        })
        if (!r.ok) throw new Error(`setup: ${r.status} ${await r.text()}`)
      })()
      return ownerReady
    },
    /** A session cookie for an account: one sign-in per account for the whole run (the
        server throttles sign-ins per account and address), or a new session when
        `fresh` (a test that ends sessions). */
    async session(who, fresh = false) {
      if (!fresh && sessions.has(who.email)) return sessions.get(who.email)
      const r = await fetch(origin + '/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: who.email, password: who.password }),
      })
      if (!r.ok) throw new Error(`login ${who.email}: ${r.status} ${await r.text()}`)
      const [pair] = r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.includes('='))
      const eq = pair.indexOf('=')
      const cookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: origin }
      if (!fresh) sessions.set(who.email, cookie)
      return cookie
    },
    /** A fresh page at a viewport and locale, recording errors, dialogs and CSP
        violations; signed in as `as` (default the owner) unless `signedIn` is false;
        `fresh` signs in anew instead of sharing the account's session. */
    async page({ viewport = DESKTOP, locale = 'en-GB', signedIn = true, as = null, fresh = false } = {}) {
      const context = await browser.newContext({ viewport, locale, acceptDownloads: true })
      // Every violation of the page's Content-Security-Policy is a problem.
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI || ''} ${e.sample || ''} (${e.sourceFile || ''}:${e.lineNumber || ''})`)
        })
      })
      if (signedIn) {
        if (!as) await h.ensureOwner()
        await context.addCookies([await h.session(as || h.owner, fresh)])
      }
      const page = await context.newPage()
      page.problems = []
      page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`))
      page.on('console', (m) => {
        // The browser logs failed requests as console errors; those are tested where they matter.
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`)
      })
      page.on('dialog', async (d) => {
        page.problems.push(`dialog: ${d.type()} ${d.message()}`)
        await d.dismiss()
      })
      return page
    },
    /** Waits until no loading placeholder is on the page, twice 300 ms apart: a view
        whose first answer brings a second ask (goals, then their conversions) passes
        through a moment with none. */
    async settled(page, timeout = 60000) {
      const idle = () => page.waitForFunction(() => !document.querySelector('.loading') && !document.querySelector('.stale'), null, { timeout })
      await idle()
      await page.waitForTimeout(300)
      await idle()
    },
    /** Saves a full-page screenshot as target/dashboard-screenshots/NAME.png. */
    async shot(page, name) {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
    },
    async stop() {
      await browser.close().catch(() => {})
      server.kill('SIGTERM')
      await new Promise((resolve) => server.once('exit', resolve))
      if (!process.env.PARCOURS_TEST_CLICKHOUSE_URL) execFileSync(join(repo, 'scripts/clickhouse.sh'), ['stop', chDir])
      rmSync(work, { recursive: true, force: true })
    },
  }
  return h
}
