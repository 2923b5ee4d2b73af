/* Pageviews: initial load, referrer, single-page-app history navigation, hash routing, back/forward. */

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { setup } from './harness.mjs'

let h
before(async () => (h = await setup()))
after(() => h.teardown())

test('pageview on load carries n, u, d and a null referrer', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/plain.html?utm_source=news'))
  const events = await h.waitForEvents(domain, 1)
  assert.deepEqual(events, [
    { n: 'pageview', u: h.url('/plain.html?utm_source=news'), d: domain, r: null, p: undefined, h: undefined, m: undefined, c: undefined },
  ])
  await context.close()
})

test('referrer is document.referrer after following a link', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/plain.html'))
  await h.ready(page)
  await Promise.all([page.waitForURL('**/second.html'), page.click('#next')])
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(
    events.map((e) => [e.n, e.u, e.r]),
    [
      ['pageview', h.url('/plain.html'), null],
      ['pageview', h.url('/second.html'), h.url('/plain.html')],
    ],
  )
  await context.close()
})

test('SPA: push, replace and back count once each; same-path and query-only pushes do not', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/spa.html'))
  await h.ready(page)
  await page.evaluate(() => go('/spa/a'))
  await page.evaluate(() => go('/spa/a'))
  await page.evaluate(() => go('/spa/a?tab=2'))
  await page.evaluate(() => go('/spa/b', true))
  await h.waitForEvents(domain, 3)
  // History is now spa.html, /spa/a, /spa/a, /spa/b (which replaced /spa/a?tab=2).
  await page.goBack() // to /spa/a: a new page
  await page.goBack() // to the duplicate /spa/a: same path, not a new page
  await page.goBack() // to /spa.html
  const events = await h.waitForEvents(domain, 5)
  assert.deepEqual(
    events.map((e) => [e.n, new URL(e.u).pathname]),
    [
      ['pageview', '/spa.html'],
      ['pageview', '/spa/a'],
      ['pageview', '/spa/b'],
      ['pageview', '/spa/a'],
      ['pageview', '/spa.html'],
    ],
  )
  await context.close()
})

test('hash routing with data-hash: each route once, fragment kept in u, h = 1', async () => {
  const { page, domain, context } = await h.open({ attrs: 'data-hash' })
  await page.goto(h.url('/hash.html'))
  await h.ready(page)
  await page.click('#doctors')
  await page.click('#doctors')
  await page.click('#booking')
  await h.waitForEvents(domain, 3)
  await page.goBack()
  const events = await h.waitForEvents(domain, 4)
  assert.deepEqual(
    events.map((e) => [e.n, e.u, e.h]),
    [
      ['pageview', h.url('/hash.html'), 1],
      ['pageview', h.url('/hash.html#/doctors'), 1],
      ['pageview', h.url('/hash.html#/booking'), 1],
      ['pageview', h.url('/hash.html#/doctors'), 1],
    ],
  )
  await context.close()
})

test('without data-hash, fragment changes are not pageviews', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/hash.html'))
  await h.ready(page)
  await page.click('#doctors')
  await page.click('#booking')
  const events = await h.waitForEvents(domain, 1)
  assert.deepEqual(events.map((e) => [e.n, e.u, e.h]), [['pageview', h.url('/hash.html'), undefined]])
  await context.close()
})

test('back to a previous page counts it exactly once', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/plain.html'))
  await h.ready(page)
  await Promise.all([page.waitForURL('**/second.html'), page.click('#next')])
  await h.waitForEvents(domain, 2)
  await page.goBack()
  const events = await h.waitForEvents(domain, 3)
  assert.deepEqual(
    events.map((e) => new URL(e.u).pathname),
    ['/plain.html', '/second.html', '/plain.html'],
  )
  await context.close()
})

// Headless Chromium does not use the back/forward cache here, so the restore is simulated.
test('a bfcache restore (pageshow with persisted) counts once; the first pageshow does not', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/plain.html'))
  await h.ready(page)
  await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(events.map((e) => [e.n, e.u]), [
    ['pageview', h.url('/plain.html')],
    ['pageview', h.url('/plain.html')],
  ])
  await context.close()
})
