/* Opt-in automatic events (the parcours.auto.js add-on): each sends its beacon and the click or
   submission still does what it would do without the tracker. */

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { setup } from './harness.mjs'

const ALL = 'data-outbound data-downloads data-tel data-forms data-tagged-events'

let h
before(async () => (h = await setup()))
after(() => h.teardown())

// Opens links.html with the given attributes and waits for the add-on (it delays the load event).
async function openLinks(attrs = ALL) {
  const opened = await h.open({ attrs })
  await opened.page.goto(h.url('/links.html'), { waitUntil: 'load' })
  await h.ready(opened.page)
  return opened
}

const nonPageviews = (events) => events.filter((e) => e.n != 'pageview').map((e) => [e.n, e.p])

test('outbound click: event with the URL minus query and fragment, and the tab navigates', async () => {
  const { page, domain, context } = await openLinks()
  await Promise.all([page.waitForURL(`${h.site.otherOrigin}/landing.html?ref=clinic#top`), page.click('#outbound')])
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(nonPageviews(events), [['Outbound Link: Click', { url: `${h.site.otherOrigin}/landing.html` }]])
  await context.close()
})

test('target=_blank and ctrl-click open a new tab and leave the current one alone', async () => {
  const { page, domain, context } = await openLinks()
  const [blank] = await Promise.all([context.waitForEvent('page'), page.click('#outbound-blank')])
  await blank.waitForURL(`${h.site.otherOrigin}/landing.html`)
  const [ctrl] = await Promise.all([context.waitForEvent('page'), page.click('#outbound', { modifiers: ['Control'] })])
  await ctrl.waitForURL(`${h.site.otherOrigin}/landing.html?ref=clinic#top`)
  assert.equal(page.url(), h.url('/links.html'))
  assert.equal(await page.evaluate(() => window.lastClickPrevented), false)
  const events = await h.waitForEvents(domain, 3)
  assert.deepEqual(nonPageviews(events), [
    ['Outbound Link: Click', { url: `${h.site.otherOrigin}/landing.html` }],
    ['Outbound Link: Click', { url: `${h.site.otherOrigin}/landing.html` }],
  ])
  await context.close()
})

test('internal links are not outbound', async () => {
  const { page, domain, context } = await openLinks()
  await Promise.all([page.waitForURL('**/second.html'), page.click('#internal')])
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(nonPageviews(events), [])
  await context.close()
})

test('file download: event without the query string, and the download still starts', async () => {
  const { page, domain, context } = await openLinks()
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
  assert.equal(download.url(), h.url('/files/consent-form.pdf?patient=42'))
  const events = await h.waitForEvents(domain, 2)
  assert.deepEqual(nonPageviews(events), [['File Download', { url: h.url('/files/consent-form.pdf') }]])
  await context.close()
})

test('data-downloads with a value replaces the default extensions', async () => {
  const { page, domain, context } = await openLinks('data-downloads="docx, odt"')
  await Promise.all([page.waitForEvent('download'), page.click('#download')])
  const events = await h.waitForEvents(domain, 1)
  assert.deepEqual(nonPageviews(events), [])
  await context.close()
})

test('tel: and mailto: clicks send Phone Click / Email Click without the number or address', async () => {
  const { page, domain, context } = await openLinks()
  await page.click('#tel')
  assert.equal(await page.evaluate(() => window.lastClickPrevented), false)
  await page.click('#mailto')
  assert.equal(await page.evaluate(() => window.lastClickPrevented), false)
  const events = await h.waitForEvents(domain, 3)
  assert.deepEqual(nonPageviews(events), [
    ['Phone Click', undefined],
    ['Email Click', undefined],
  ])
  const raw = JSON.stringify(events)
  for (const secret of ['33123456789', '+33', 'front-desk', 'clinic.example']) assert.ok(!raw.includes(secret), secret)
  await context.close()
})

test('form submission sends Form Submit with the form id and still submits', async () => {
  const { page, domain, context } = await openLinks()
  await Promise.all([page.waitForURL('**/second.html?name=A.+Patient'), page.click('#submit')])
  const events = await h.waitForEvents(domain, 3)
  assert.deepEqual(
    events.map((e) => [e.n, e.p]),
    [
      ['pageview', undefined],
      ['Form Submit', { form: 'booking' }],
      ['pageview', undefined],
    ],
  )
  // Field values never travel in the event itself (the next page's URL is scrubbed server side).
  assert.ok(!JSON.stringify(events[1]).includes('Patient'))
  await context.close()
})

test('tagged elements: class names and data-parcours-event, also from a child element', async () => {
  const { page, domain, context } = await openLinks()
  await page.click('#tagged-class')
  await page.click('#tagged-child')
  const events = await h.waitForEvents(domain, 3)
  assert.deepEqual(nonPageviews(events), [
    ['Book Now', { specialty: 'cardio' }],
    ['Call Back', {}],
  ])
  await context.close()
})

test('without the attributes, nothing automatic is sent and the add-on is not loaded', async () => {
  const { page, domain, context } = await openLinks('')
  assert.equal(await page.evaluate(() => !!document.querySelector('script[src$="parcours.auto.js"]')), false)
  await page.click('#tel')
  await page.click('#tagged-class')
  await Promise.all([page.waitForEvent('download'), page.click('#download')])
  await Promise.all([page.waitForURL(`${h.site.otherOrigin}/**`), page.click('#outbound')])
  const events = await h.waitForEvents(domain, 1)
  assert.deepEqual(nonPageviews(events), [])
  await context.close()
})
