/* Shared browser-test harness: Debian's Chromium via playwright-core, the fixture site served as
   clinic.test, and polling helpers that work whether beacons land instantly (mock) or later (real). */

import { createServer } from 'node:http'
import { readFileSync, existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { startBackend, STATS_HOST } from './backend.mjs'

const fixtures = new URL('./fixtures/', import.meta.url)
const SITE_HOST = 'clinic.test'
const OTHER_HOST = 'elsewhere.test'

// The fixture site. Pages carry %SCRIPT% / %ATTRS% / %DOMAIN% / %OTHER% placeholders, filled per
// test so each test gets its own data-domain and its beacons can be told apart from the others'.
async function startSite(backend) {
  const site = { domain: 'clinic.test', attrs: '' }
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path.startsWith('/files/')) {
      res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment' })
      return res.end('%PDF-1.4\n')
    }
    const file = new URL('.' + (path.endsWith('/') ? path + 'plain.html' : path), fixtures)
    if (!path.endsWith('.html') || !existsSync(file)) return res.writeHead(404).end('not found')
    const html = readFileSync(file, 'utf8')
      .replaceAll('%SCRIPT%', backend.scriptUrl)
      .replaceAll('%ATTRS%', site.attrs)
      .replaceAll('%DOMAIN%', site.domain)
      .replaceAll('%OTHER%', `http://${OTHER_HOST}:${server.address().port}`)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(html)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  site.origin = `http://${SITE_HOST}:${server.address().port}`
  site.otherOrigin = `http://${OTHER_HOST}:${server.address().port}`
  site.port = server.address().port
  site.stop = () => new Promise((resolve) => server.close(resolve))
  return site
}

let counter = 0

// Debian's Chromium, headless; the host names of the tests all map to loopback. The
// background-networking flags keep it from calling out of this machine's closed network.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=MAP ${SITE_HOST} 127.0.0.1,MAP ${STATS_HOST} 127.0.0.1,MAP ${OTHER_HOST} 127.0.0.1`,
    ],
  })
}

export async function setup() {
  const backend = await startBackend()
  const site = await startSite(backend)
  const browser = await launchBrowser()

  const h = {
    site,
    backend,
    browser,
    // A fresh context (empty storage) configured for one test; returns its page and domain.
    async open({ attrs = '', webdriver = false, init } = {}) {
      site.domain = `t${++counter}.${process.pid}.clinic.test`
      site.attrs = attrs
      const context = await browser.newContext()
      // Automation sets navigator.webdriver, which the tracker treats as a bot.
      if (!webdriver) {
        await context.addInitScript(() =>
          Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }),
        )
      }
      if (init) await context.addInitScript(init)
      const page = await context.newPage()
      return { context, page, domain: site.domain }
    },
    url: (path) => site.origin + path,
    // Beacons of one test (by its data-domain), in arrival order.
    async events(domain) {
      return (await backend.events()).filter((event) => event.d == domain)
    },
    // Polls until `count` beacons arrived, then waits a little longer to catch unwanted extras.
    async waitForEvents(domain, count, { settle = 250, timeout = 5000 } = {}) {
      const deadline = Date.now() + timeout
      while ((await h.events(domain)).length < count && Date.now() < deadline) await sleep(25)
      await sleep(settle)
      return h.events(domain)
    },
    // Resolves once the tracker ran: only the real API (not the queue stub) has consent().
    ready: (page) => page.waitForFunction(() => window.parcours?.consent),
    async teardown() {
      await browser.close()
      await site.stop()
      await backend.stop()
    },
  }
  return h
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
