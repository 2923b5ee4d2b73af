/* The funnels view against the funnel API: a funnel built in the view, saved through
   the definitions API, reloaded and broken down shows the API's figures. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, SITE } from './harness.mjs'

const en = new Intl.NumberFormat('en-GB')
const NAME = 'Symptoms to booked (test)'

test('a funnel is built, saved, reloaded and broken down, with the funnel API figures', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/funnels'))
  await h.settled(page)
  await page.click('[data-testid=funnel-new]')
  await page.fill('[data-testid=funnel-name]', NAME)
  const editors = page.locator('[data-testid=funnel-step-editor]')
  await editors.nth(0).locator('[data-testid=funnel-step-kind]').selectOption('content_group')
  await editors.nth(0).locator('select').nth(1).selectOption('Recherche de symptômes')
  await editors.nth(1).locator('[data-testid=funnel-step-kind]').selectOption('goal')
  await editors.nth(1).locator('select').nth(1).selectOption('RDV confirmé')
  await page.selectOption('[data-testid=funnel-window]', '1d')
  await page.click('[data-testid=funnel-save]')
  await page.waitForURL(/funnel=/)
  await h.settled(page)
  await page.waitForSelector('[data-testid=funnel-steps]')

  const saved = await h.api(`/api/v2/funnels?site_id=${SITE}`)
  assert.ok(saved.funnels.some((f) => f.name === NAME), 'saved through the definitions API')
  const a = await h.api('/api/v2/funnel', { site_id: SITE, date_range: '30d', funnel: NAME })
  const shown = async () => page.$$eval('[data-testid=funnel-steps] .fn-visitors strong', (els) => els.map((e) => e.textContent))
  assert.deepEqual(await shown(), a.steps.map((s) => en.format(s.visitors)))
  await h.shot(page, 'funnels-built-desktop-en')

  // A reload opens the same saved funnel.
  await page.reload()
  await h.settled(page)
  await page.waitForSelector('[data-testid=funnel-steps]')
  assert.deepEqual(await shown(), a.steps.map((s) => en.format(s.visitors)))

  // Broken down by channel, each row is the API's.
  await page.selectOption('[data-testid=funnel-breakdown]', 'channel')
  await page.waitForSelector('[data-testid=funnel-breakdown-table]')
  await h.settled(page)
  const b = await h.api('/api/v2/funnel', { site_id: SITE, date_range: '30d', funnel: NAME, breakdown: 'visit:channel' })
  const rows = await page.$$eval('[data-testid=funnel-breakdown-table] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())))
  assert.equal(rows.length, b.breakdown.results.length)
  const cell = (n) => (n === null ? '< 5' : en.format(n))
  assert.deepEqual(rows[0].slice(0, 2), b.breakdown.results[0].steps.map((s) => cell(s.visitors)))
  await h.shot(page, 'funnels-breakdown-desktop-en')
  assert.deepEqual(page.problems, [])
  await page.context().close()
  await fetch(`${h.origin}/api/v2/funnels`, {
    method: 'DELETE', headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ site_id: SITE, name: NAME }),
  })
})

test('the demo funnel opens with its drop-off links to the journeys view', async () => {
  const h = await harness()
  const page = await h.page({ locale: 'fr-FR' })
  await page.goto(h.url('/funnels?funnel=' + encodeURIComponent('Des symptômes au rendez-vous') + ''))
  await h.settled(page)
  await page.waitForSelector('[data-testid=funnel-steps]')
  const href = await page.getAttribute('[data-testid=funnel-where]', 'href')
  assert.match(href, /^\/journeys\?/)
  assert.match(decodeURIComponent(href), /mode=paths_from/)
  await h.shot(page, 'funnels-demo-desktop-fr')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
