/* Every view in both languages and at both widths: no untranslated key or English
   string in the French view, the language switch, axe-core (no serious or critical
   violation), and a screenshot of each. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { harness, SITE, DESKTOP, PHONE } from './harness.mjs'
import * as checks from './checks.mjs'

const { enKeys, frKeys, englishOnly, shows, visibleText, axeViolations } = checks

/** Every page of the dashboard a person can open. */
export const PAGES = [
  ['overview', '/'],
  ['overview-compare', '/?compare=previous_period&period=7d'],
  ['funnels', '/funnels'],
  ['journeys', '/journeys'],
  ['journeys-from', `/journeys?mode=paths_from&start=group:${encodeURIComponent('Recherche de symptômes')}`],
  ['journeys-sankey', '/journeys?show=sankey'],
  ['attribution', '/attribution'],
  ['realtime', '/realtime'],
  ...['site', 'install', 'goals', 'groups', 'funnels', 'privacy', 'members', 'shares', 'keys', 'audit', 'danger', 'new_site'].map((s) => [`settings-${s}`, `/settings?section=${s}`]),
]

function sources(dir = new URL('../src/', import.meta.url).pathname) {
  return readdirSync(dir).flatMap((f) => {
    const p = dir + f
    return statSync(p).isDirectory() ? sources(p + '/') : p.endsWith('.js') ? [readFileSync(p, 'utf8')] : []
  })
}

test('both languages have the same keys, and every key the code names exists', () => {
  assert.deepEqual([...frKeys.keys()].filter((k) => !enKeys.has(k)), [], 'keys only in fr.json')
  assert.deepEqual([...enKeys.keys()].filter((k) => !frKeys.has(k)), [], 'keys only in en.json')
  const used = new Set()
  for (const src of sources()) for (const m of src.matchAll(/\bt\('([a-z_0-9]+(?:\.[A-Za-z_0-9]+)+)'/g)) used.add(m[1])
  const plural = (k) => enKeys.has(`${k}.one`) || enKeys.has(`${k}.other`)
  assert.deepEqual([...used].filter((k) => !enKeys.has(k) && !plural(k)), [], 'keys used in src/ but missing')
})

let siteWords = new Set()
async function loadSiteWords(h) {
  if (siteWords.size) return
  const [g, c, f] = await Promise.all([
    h.api(`/api/v2/goals?site_id=${SITE}`), h.api(`/api/v2/content_groups?site_id=${SITE}`), h.api(`/api/v2/funnels?site_id=${SITE}`),
  ])
  siteWords = new Set([...g.goals.map((x) => x.name), ...c.content_groups.map((x) => x.name), ...f.funnels.flatMap((x) => [x.name, ...x.steps.map((s) => s.name)])])
}

for (const [name, path] of PAGES) {
  test(`${name}: translated, accessible, and pictured at both widths`, async () => {
    const h = await harness()
    await loadSiteWords(h)
    for (const [lang, locale] of [['fr', 'fr-FR'], ['en', 'en-GB']]) {
      for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
        const page = await h.page({ viewport, locale })
        await page.context().setExtraHTTPHeaders({})
        await page.goto(h.url(path))
        await h.settled(page)
        await page.waitForTimeout(150)
        const text = await visibleText(page)
        const keys = [...text.matchAll(/\b([a-z_]+\.[a-z_0-9.]+)\b/g)].map((m) => m[1]).filter((k) => enKeys.has(k) || frKeys.has(k) || enKeys.has(k + '.other'))
        assert.deepEqual(keys, [], `${name} (${lang}) shows raw keys`)
        if (lang === 'fr') {
          const english = englishOnly.filter((s) => shows(text, s) && !siteWords.has(s))
          assert.deepEqual(english, [], `${name} (fr) shows English`)
        }
        await h.shot(page, `${name}-${width}-${lang}`)
        assert.deepEqual(await axeViolations(page), [], `${name} ${width} ${lang}: axe`)
        assert.deepEqual(page.problems, [], `${name} ${width} ${lang}`)
        await page.context().close()
      }
    }
  })
}

test('the installation check explains a page served from another host', async () => {
  const h = await harness()
  // A copy of the site elsewhere: answered 202, not stored, shown with its reason.
  assert.equal(await h.beacon({ n: 'pageview', u: 'https://copie-de-la-clinique.example/rdv', d: SITE }, '203.0.113.77'), 202)
  const titles = { fr: 'Page sur un autre domaine', en: 'Page on another host' }
  for (const [lang, locale] of [['fr', 'fr-FR'], ['en', 'en-GB']]) {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await h.page({ viewport, locale })
      await page.goto(h.url('/settings?section=install'))
      await h.settled(page)
      await page.getByTestId('drops').getByText(titles[lang]).waitFor()
      await h.shot(page, `settings-install-drops-${width}-${lang}`)
      assert.deepEqual(page.problems, [], `install drops ${width} ${lang}`)
      await page.context().close()
    }
  }
})

test('the language switch changes every visible string', async () => {
  const h = await harness()
  const page = await h.page({ locale: 'en-GB' })
  await page.goto(h.url('/'))
  await h.settled(page)
  assert.equal(await page.textContent('nav.views a.on'), 'Overview')
  await page.click('.lang button[lang=fr]')
  await page.waitForURL(/lang=fr/)
  await h.settled(page)
  assert.equal(await page.textContent('nav.views a.on'), 'Vue d’ensemble')
  assert.equal(await page.getAttribute('html', 'lang'), 'fr')
  const text = await visibleText(page)
  await loadSiteWords(h)
  assert.deepEqual(englishOnly.filter((s) => shows(text, s) && !siteWords.has(s)), [])
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
