/* The overview against the stats API: the same figures, filters that reach every
   panel and the URL, comparisons, Esc, CSV. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { harness, SITE, PHONE } from './harness.mjs'

const METRICS = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration']

test('the overview shows the stats API figures for the same query', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/'))
  await h.settled(page)
  const a = await h.api('/api/v2/query', { site_id: SITE, date_range: '30d', metrics: METRICS })
  for (const [i, m] of METRICS.entries()) {
    const raw = await page.getAttribute(`[data-testid=stat-${m}] .stat-value`, 'data-raw')
    assert.equal(Number(raw), a.results[0].metrics[i], m)
  }
  // The visitors card reads like a number a person writes.
  const shown = await page.textContent('[data-testid=stat-visitors] .stat-value')
  assert.equal(shown, new Intl.NumberFormat('en-GB').format(a.results[0].metrics[0]))
  // The channels panel lists the API's rows in its order.
  const ch = await h.api('/api/v2/query', { site_id: SITE, date_range: '30d', metrics: ['visitors'], dimensions: ['visit:channel'] })
  const rows = await page.$$eval('[data-testid=sources] tbody tr', (trs) => trs.map((tr) => [tr.dataset.value, tr.querySelector('td.num').textContent]))
  assert.deepEqual(rows.map((r) => r[0]), ch.results.slice(0, rows.length).map((r) => r.dimensions[0]))
  assert.equal(rows[0][1], new Intl.NumberFormat('en-GB').format(ch.results[0].metrics[0]))
  assert.match(await page.textContent('[data-testid=basis]'), /Groups under 5 visitors/)
  await h.shot(page, 'overview-desktop-en')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('clicking a source filters every panel and the URL; Esc clears it', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/'))
  await h.settled(page)
  await page.click('[data-testid=sources] tr[data-value="Organic Search"] button')
  await page.waitForURL(/f=is,channel,Organic\+Search|f=is,channel,Organic%20Search/)
  await h.settled(page)
  const filters = [['is', 'visit:channel', ['Organic Search']]]
  const total = await h.api('/api/v2/query', { site_id: SITE, date_range: '30d', metrics: ['visitors'], filters })
  assert.equal(Number(await page.getAttribute('[data-testid=stat-visitors] .stat-value', 'data-raw')), total.results[0].metrics[0])
  const pages = await h.api('/api/v2/query', { site_id: SITE, date_range: '30d', metrics: ['visitors', 'pageviews'], dimensions: ['event:page'], filters })
  const first = await page.$eval('[data-testid=pages] tbody tr', (tr) => [tr.dataset.value, tr.querySelector('td.num').textContent])
  assert.deepEqual(first, [pages.results[0].dimensions[0], new Intl.NumberFormat('en-GB').format(pages.results[0].metrics[0])])
  // Every panel now lists only what the filter lets through.
  const channels = await page.$$eval('[data-testid=sources] tbody tr', (trs) => trs.map((tr) => tr.dataset.value))
  assert.deepEqual(channels, ['Organic Search'])
  assert.equal(await page.locator('[data-testid=filter-chip]').count(), 1)
  await h.shot(page, 'overview-filtered-desktop-en')
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => !location.search.includes('f='))
  assert.equal(await page.locator('[data-testid=filter-chip]').count(), 0)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a comparison shows its change beside each figure and a second line', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/?period=7d&compare=previous_period'))
  await h.settled(page)
  const a = await h.api('/api/v2/query', {
    site_id: SITE, date_range: '7d', metrics: METRICS, include: { comparisons: { mode: 'previous_period', match_day_of_week: false } },
  })
  const change = a.results[0].comparison.change[0]
  const text = await page.textContent('[data-testid=stat-visitors] .stat-change')
  const pct = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(Math.abs(change) / 100)
  assert.ok(text.includes(pct), `${text} shows ${pct}`)
  assert.equal(await page.locator('[data-testid=graph] .key.cmp').count(), 1)
  await h.shot(page, 'overview-compare-desktop-en')
  // Same period last year, matched by weekday, is in the URL and the answer.
  await page.selectOption('[data-testid=compare]', 'year_over_year')
  await page.check('text=Match weekdays')
  await page.waitForURL(/compare=year_over_year&match=weekday/)
  await h.settled(page)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a panel exports its rows as CSV with the current filters', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/?f=is,device,mobile'))
  await h.settled(page)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=pages] [data-testid=csv]')])
  const text = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '')
  const lines = text.trim().split(/\r\n/)
  const a = await h.api('/api/v2/query', {
    site_id: SITE, date_range: '30d', metrics: ['visitors', 'pageviews'], dimensions: ['event:page'], filters: [['is', 'visit:device', ['mobile']]], pagination: { limit: 10000 },
  })
  assert.equal(lines[0], 'Page,Visitors,Pageviews')
  assert.equal(lines.length - 1, a.results.length)
  assert.equal(lines[1], `${a.results[0].dimensions[0]},${a.results[0].metrics.join(',')}`)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the overview is usable at phone width', async () => {
  const h = await harness()
  const page = await h.page({ viewport: PHONE, locale: 'fr-FR' })
  await page.goto(h.url('/'))
  await h.settled(page)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`)
  await h.shot(page, 'overview-phone-fr')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
