/* Exclusions and privacy: what must stop beacons, what must never be stored, and consent. */

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { setup, sleep } from './harness.mjs'

let h
before(async () => (h = await setup()))
after(() => h.teardown())

// Loads a page, waits for the tracker, and returns every beacon of this test (after a grace period).
async function visit(options, path = '/plain.html', expected = 0) {
  const { page, domain, context } = await h.open(options)
  await page.goto(h.url(path))
  await h.ready(page)
  const events = await h.waitForEvents(domain, expected, { settle: 400 })
  return { page, domain, context, events }
}

test('automation (navigator.webdriver) sends nothing', async () => {
  const { context, events } = await visit({ webdriver: true })
  assert.deepEqual(events, [])
  await context.close()
})

test('localhost sends nothing', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(`http://localhost:${h.site.port}/plain.html`)
  await h.ready(page)
  await page.evaluate(() => parcours('Local Event'))
  await sleep(400)
  assert.deepEqual(await h.events(domain), [])
  await context.close()
})

const DNT = () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })
const GPC = () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })

test('Do-Not-Track and Global Privacy Control are honoured with data-respect-dnt', async () => {
  for (const init of [DNT, GPC]) {
    const { page, context, events } = await visit({ attrs: 'data-respect-dnt', init })
    assert.deepEqual(events, [])
    // The callback still runs, so site code waiting on it never hangs.
    assert.equal(await page.evaluate(() => new Promise((resolve) => parcours('Ignored', { callback: () => resolve(true) }))), true)
    await context.close()
  }
})

test('Do-Not-Track and Global Privacy Control are ignored without data-respect-dnt', async () => {
  for (const init of [DNT, GPC]) {
    const { context, events } = await visit({ init }, '/plain.html', 1)
    assert.equal(events.length, 1)
    await context.close()
  }
})

test('data-exclude: * stays within a path segment, ** crosses segments', async () => {
  const { page, domain, context } = await h.open({ attrs: 'data-exclude="/admin/*, /patients/**, /exact.page"' })
  await page.goto(h.url('/spa.html'))
  await h.ready(page)
  for (const path of ['/admin/users', '/admin/users/42', '/patients/42/file', '/exact.page', '/exactXpage', '/public'])
    await page.evaluate((path) => go(path), path)
  const events = await h.waitForEvents(domain, 4)
  assert.deepEqual(
    events.map((e) => new URL(e.u).pathname),
    ['/spa.html', '/admin/users/42', '/exactXpage', '/public'],
  )
  await context.close()
})

test('localStorage.parcours_ignore = "true" opts this browser out', async () => {
  const { context, events } = await visit({ init: () => localStorage.setItem('parcours_ignore', 'true') })
  assert.deepEqual(events, [])
  await context.close()
})

test('a default visit leaves no cookie and nothing in local or session storage', async () => {
  const attrs = 'data-hash data-404 data-outbound data-downloads data-tel data-forms data-tagged-events'
  const { page, context, events } = await visit({ attrs }, '/links.html', 2)
  await page.click('#tel')
  await page.evaluate(() => new Promise((resolve) => parcours('Booking Confirmed', { callback: resolve })))
  assert.equal(events.length, 2)
  assert.deepEqual(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length]), ['', 0, 0])
  assert.deepEqual(await context.cookies(), [])
  await context.close()
})

test('consent(true) keeps a random id and sends it as c; consent(false) deletes it', async () => {
  const { page, domain, context, events } = await visit({}, '/plain.html', 1)
  assert.equal(events[0].c, undefined)
  const id = await page.evaluate(() => {
    parcours.consent(true)
    parcours.consent(true) // granting again keeps the same id
    return localStorage.getItem('parcours_cid')
  })
  assert.match(id, /^[0-9a-f]{32}$/)
  await page.evaluate(() => new Promise((resolve) => parcours('With Consent', { callback: resolve })))
  await page.reload()
  await h.ready(page)
  await h.waitForEvents(domain, 3)
  await page.evaluate(() => parcours.consent(false))
  assert.equal(await page.evaluate(() => localStorage.length), 0)
  await page.evaluate(() => new Promise((resolve) => parcours('Without Consent', { callback: resolve })))
  const all = await h.waitForEvents(domain, 4)
  assert.deepEqual(
    all.map((e) => [e.n, e.c]),
    [
      ['pageview', undefined],
      ['With Consent', id],
      ['pageview', id],
      ['Without Consent', undefined],
    ],
  )
  await context.close()
})
