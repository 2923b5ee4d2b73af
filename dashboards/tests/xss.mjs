/* Hostile values sent as beacons (page paths, referrers, UTM values, event names,
   property keys and values) are shown as text everywhere and run nothing. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, SITE, sleep } from './harness.mjs'

const SCRIPT = '<script>alert("path")</script>'
const IMG = '"><img src=x onerror=alert("img")>'
const JS = 'javascript:alert("js")'
const EVENT = '<img src=x onerror=alert("event")>'

test('hostile beacon values are shown as text and run nothing', async () => {
  const h = await harness()
  // Six visitors (the demo's minimum group size is 5), each with every hostile value.
  for (let i = 0; i < 6; i++) {
    const ip = `198.51.100.${10 + i}`
    const u = `https://${SITE}/x/${encodeURIComponent(SCRIPT)}?utm_source=${encodeURIComponent(IMG)}&utm_campaign=${encodeURIComponent(JS)}`
    assert.equal(await h.beacon({ n: 'pageview', u, d: SITE, r: `https://evil.test/${IMG}` }, ip), 202)
    assert.equal(await h.beacon({ n: EVENT, u, d: SITE, p: { [SCRIPT]: JS, plan: IMG } }, ip), 202)
  }
  await sleep(1500)
  const views = [
    '/?period=day',
    `/?period=day&sources=utm_source`,
    `/?period=day&sources=utm_campaign`,
    `/?period=day&prop_event=${encodeURIComponent(EVENT)}`,
    `/?period=day&f=${encodeURIComponent(`is,utm_source,${IMG}`)}`,
    `/?period=day&f=${encodeURIComponent(`contains,page,${SCRIPT}`)}`,
    '/realtime',
    '/journeys?period=day&mode=paths_from&start=page:/x/**',
    '/funnels?period=day',
    '/attribution?period=day&by=utm_campaign',
    '/settings?section=install',
  ]
  const page = await h.page()
  let sawText = false
  for (const v of views) {
    await page.goto(h.url(v))
    await h.settled(page)
    await page.waitForTimeout(200)
    const injected = await page.evaluate(() => ({
      imgs: document.querySelectorAll('img[src="x"]').length,
      scripts: [...document.scripts].filter((s) => !s.src).length,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
    }))
    assert.deepEqual(injected, { imgs: 0, scripts: 0, jsLinks: 0 }, v)
    const text = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('option')].map((o) => o.textContent).join('\n'))
    if (text.includes('onerror=alert(')) sawText = true
  }
  assert.ok(sawText, 'the hostile values are shown, as text')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
