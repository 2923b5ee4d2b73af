/* End to end against the real product: the tracker served by `parcours serve` (PARCOURS_BIN),
   beacons through its HTTP path into a real ClickHouse, and the stored rows read back. The mock
   backend tests cover the tracker's behaviour in detail; this file proves the whole chain:
   scrubbed URLs, referrers, props, revenue, automatic events and nothing stored for excluded
   visits. Skipped when PARCOURS_BIN is not set (`scripts/test.sh` sets it). */

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import { readFileSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchBrowser } from './harness.mjs'

const BIN = process.env.PARCOURS_BIN
const repo = new URL('../../', import.meta.url).pathname
const fixtures = new URL('./fixtures/', import.meta.url)
const DOMAIN = 'clinic.test'
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

let chUrl, chDir, server, site, browser, base
const database = `tracker_e2e_${process.pid}`

async function freePort() {
  const s = createServer()
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address()
  await new Promise((resolve) => s.close(resolve))
  return port
}

async function sql(query) {
  const r = await fetch(`${chUrl}/?database=${database}`, { method: 'POST', body: query })
  const text = await r.text()
  if (!r.ok) throw new Error(text)
  return text
}

async function rows() {
  const text = await sql(
    `SELECT name, hostname, pathname, referrer, referrer_source, channel, prop_keys, prop_values, consented,
            toFloat64(revenue_amount) AS revenue, toString(revenue_currency) AS currency
     FROM events ORDER BY timestamp, timestamp_ms FORMAT JSONEachRow`,
  )
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line))
}

async function waitRows(count, timeout = 10000) {
  const deadline = Date.now() + timeout
  let found = []
  while (Date.now() < deadline) {
    found = await rows()
    if (found.length >= count) break
    await sleep(100)
  }
  await sleep(300)
  return rows()
}

before(async () => {
  if (!BIN) return
  const env = { ...process.env }
  chUrl = process.env.PARCOURS_TEST_CLICKHOUSE_URL
  if (!chUrl) {
    chDir = mkdtempSync(join(tmpdir(), 'parcours-tracker-ch-'))
    chUrl = execFileSync(join(repo, 'scripts/clickhouse.sh'), ['start', chDir, String(await freePort())])
      .toString()
      .trim()
  }
  Object.assign(env, {
    PARCOURS_CLICKHOUSE_URL: chUrl,
    PARCOURS_CLICKHOUSE_DATABASE: database,
    PARCOURS_DATA_DIR: mkdtempSync(join(tmpdir(), 'parcours-tracker-data-')),
    PARCOURS_FLUSH_INTERVAL_MS: '100',
  })
  execFileSync(BIN, ['sites', 'add', DOMAIN], { env, stdio: 'ignore' })
  execFileSync(BIN, ['sites', 'set', DOMAIN, '--consent-journeys', 'true'], { env, stdio: 'ignore' })
  const port = await freePort()
  server = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: 'ignore' })
  base = `http://stats.test:${port}`
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) break
    } catch {}
    await sleep(100)
  }
  site = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    const file = new URL('.' + path, fixtures)
    if (!path.endsWith('.html') || !existsSync(file)) return res.writeHead(404).end()
    const attrs = new URL(req.url, 'http://x').searchParams.get('attrs') || ''
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(
      readFileSync(file, 'utf8')
        .replaceAll('%SCRIPT%', `${base}/js/parcours.js`)
        .replaceAll('%ATTRS%', attrs)
        .replaceAll('%DOMAIN%', DOMAIN)
        .replaceAll('%OTHER%', `http://elsewhere.test:${site.address().port}`),
    )
  })
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve))
  browser = await launchBrowser()
})

after(async () => {
  if (!BIN) return
  await browser?.close()
  site?.close()
  if (server) {
    server.kill('SIGTERM')
    await new Promise((resolve) => server.on('exit', resolve))
  }
  if (chDir) execFileSync(join(repo, 'scripts/clickhouse.sh'), ['stop', chDir])
  else await sql(`DROP DATABASE IF EXISTS ${database}`).catch(() => {})
})

async function newPage() {
  // Headless Chromium says "HeadlessChrome", which the server rightly drops as a bot.
  const userAgent = (await browser.newBrowserCDPSession().then((s) => s.send('Browser.getVersion'))).userAgent
  const context = await browser.newContext({ userAgent: userAgent.replace('HeadlessChrome', 'Chrome') })
  await context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }),
  )
  return { context, page: await context.newPage() }
}

test('a visit through the real server lands in ClickHouse scrubbed and enriched', { skip: !BIN }, async () => {
  const origin = `http://${DOMAIN}:${site.address().port}`
  const { context, page } = await newPage()
  // A landing with a campaign and an identifier in the query, then SPA navigation.
  await page.goto(`${origin}/spa.html?utm_source=newsletter&utm_medium=email&patient=12345`, {
    referer: 'https://www.google.fr/search?q=douleur+genou',
  })
  await page.waitForFunction(() => window.parcours?.consent)
  await page.evaluate(() => go('/medecins/dr-claire-martin'))
  await page.evaluate(() => go('/rdv/3f2a9c0e-8a1b-4c7d-9e2f-1a2b3c4d5e6f'))
  await page.evaluate(
    () =>
      new Promise((resolve) =>
        parcours('Booking Confirmed', {
          props: { specialty: 'cardiologie', contact: 'jean.dupont@example.fr' },
          revenue: { amount: 60, currency: 'EUR' },
          callback: resolve,
        }),
      ),
  )
  const stored = await waitRows(4)
  await context.close()
  // Compared as a set: two events in the same millisecond have no defined order.
  assert.deepEqual(
    stored.map((r) => [r.name, r.hostname, r.pathname].join(' ')).sort(),
    [
      `Booking Confirmed ${DOMAIN} /rdv/:id`,
      `pageview ${DOMAIN} /medecins/dr-claire-martin`,
      `pageview ${DOMAIN} /rdv/:id`,
      `pageview ${DOMAIN} /spa.html`,
    ],
  )
  const landing = stored.find((r) => r.pathname == '/spa.html')
  const booking = stored.find((r) => r.name == 'Booking Confirmed')
  // UTM beats the Google referrer; the referrer keeps host and path only.
  assert.equal(landing.channel, 'Email')
  assert.equal(landing.referrer_source, 'Newsletter')
  assert.equal(landing.referrer, 'google.fr/search')
  assert.deepEqual(booking.prop_keys, ['specialty', 'contact'])
  assert.deepEqual(booking.prop_values, ['cardiologie', ':id'])
  assert.equal(booking.revenue, 60)
  assert.equal(booking.currency, 'EUR')
  const all = JSON.stringify(stored)
  for (const secret of ['12345', 'dupont', 'douleur', '3f2a9c0e']) assert.ok(!all.includes(secret), secret)
})

test('automatic events and 404 through the real server; opted-out visits store nothing', { skip: !BIN }, async () => {
  const earlier = (await rows()).length
  const origin = `http://${DOMAIN}:${site.address().port}`
  const { context, page } = await newPage()
  await page.goto(`${origin}/links.html?attrs=${encodeURIComponent('data-outbound data-tel data-downloads')}`)
  await page.waitForFunction(() => document.querySelector('script[src$="parcours.auto.js"]'))
  await sleep(300)
  await page.click('#tel')
  await page.click('#outbound')
  await page.waitForURL(/elsewhere\.test/)
  const notFound = await context.newPage()
  await notFound.goto(`${origin}/404.html?attrs=data-404`)
  // Opted out: nothing may reach storage.
  const quiet = await context.newPage()
  await quiet.goto(`${origin}/plain.html?attrs=data-respect-dnt`)
  await quiet.evaluate(() => localStorage.setItem('parcours_ignore', 'true'))
  await quiet.reload()
  const stored = (await waitRows(earlier + 6)).slice(earlier)
  await context.close()
  const names = stored.map((r) => r.name)
  assert.deepEqual(names.filter((n) => n != 'pageview').sort(), ['404', 'Outbound Link: Click', 'Phone Click'])
  const outbound = stored.find((r) => r.name == 'Outbound Link: Click')
  assert.equal(outbound.prop_keys[0], 'url')
  assert.match(outbound.prop_values[0], /^http:\/\/elsewhere\.test:\d+\/landing\.html$/)
  const phone = stored.find((r) => r.name == 'Phone Click')
  assert.ok(!JSON.stringify(phone).includes('33123456789'))
  // Pageviews: links.html, 404.html and the first plain.html visit (before the opt-out).
  assert.equal(names.filter((n) => n == 'pageview').length, 3)
})

test('DNT with data-respect-dnt stores nothing; consent marks rows but its id is never stored', { skip: !BIN }, async () => {
  const earlier = (await rows()).length
  const origin = `http://${DOMAIN}:${site.address().port}`
  // Do-Not-Track honoured by the site's tag: no beacon at all, so no row.
  const dnt = await newPage()
  await dnt.context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }),
  )
  await dnt.page.goto(`${origin}/plain.html?attrs=data-respect-dnt`)
  await dnt.page.waitForFunction(() => window.parcours?.consent)
  await dnt.page.evaluate(() => new Promise((resolve) => parcours('Should Not Land', { callback: resolve })))
  await dnt.context.close()
  // Consent granted: the tracker keeps a random id and sends it; the server must not store it.
  const { context, page } = await newPage()
  await page.goto(`${origin}/plain.html`)
  await page.waitForFunction(() => window.parcours?.consent)
  const cid = await page.evaluate(() => {
    parcours.consent(true)
    return localStorage.getItem('parcours_cid')
  })
  assert.match(cid, /^[0-9a-f]{32}$/)
  await page.evaluate(() => new Promise((resolve) => parcours('Newsletter Signup', { callback: resolve })))
  const stored = (await waitRows(earlier + 2)).slice(earlier)
  await context.close()
  assert.deepEqual(
    stored.map((r) => [r.name, r.consented]).sort(),
    [
      ['Newsletter Signup', 1],
      ['pageview', 0],
    ],
  )
  const hits = await sql(
    `SELECT count() FROM events WHERE arrayExists(v -> position(v, '${cid}') > 0, prop_values)
       OR position(pathname, '${cid}') > 0 OR position(referrer, '${cid}') > 0`,
  )
  assert.equal(hits.trim(), '0')
})
