/* Custom events through window.parcours: props, revenue, callbacks, the pre-load queue and 404s. */

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { setup } from './harness.mjs'

let h
before(async () => (h = await setup()))
after(() => h.teardown())

test('custom event with props and revenue; callback is called', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/plain.html'))
  await h.ready(page)
  const called = await page.evaluate(
    () =>
      new Promise((resolve) =>
        parcours('Booking Confirmed', {
          props: { specialty: 'cardiology', returning: true, slot: 3 },
          revenue: { amount: 60, currency: 'EUR' },
          callback: () => resolve(true),
        }),
      ),
  )
  assert.equal(called, true)
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(events[1], {
    n: 'Booking Confirmed',
    u: h.url('/plain.html'),
    d: domain,
    r: null,
    p: { specialty: 'cardiology', returning: true, slot: 3 },
    m: { amount: 60, currency: 'EUR' },
    h: undefined,
    c: undefined,
  })
  await context.close()
})

test('calls queued by the stub before load are replayed, callbacks included', async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/queue.html'))
  await h.ready(page)
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(
    events.map((e) => [e.n, e.p]),
    [
      ['pageview', undefined],
      ['Early Event', { step: 1 }],
    ],
  )
  await page.waitForFunction(() => window.earlyCallback === true)
  await context.close()
})

test('data-404 sends a pageview and a 404 event with the path', async () => {
  const { page, domain, context } = await h.open({ attrs: 'data-404' })
  await page.goto(h.url('/404.html?from=search'))
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(
    events.map((e) => [e.n, e.p]),
    [
      ['pageview', undefined],
      ['404', { path: '/404.html' }],
    ],
  )
  await context.close()
})

test("parcours('404') from a single-page app's router adds the path too", async () => {
  const { page, domain, context } = await h.open()
  await page.goto(h.url('/spa.html'))
  await h.ready(page)
  await page.evaluate(() => {
    go('/doctors/unknown')
    parcours('404')
  })
  const events = await h.waitForEvents(domain, 3)
  assert.deepEqual(
    events.map((e) => [e.n, e.p]),
    [
      ['pageview', undefined],
      ['pageview', undefined],
      ['404', { path: '/doctors/unknown' }],
    ],
  )
  await context.close()
})
