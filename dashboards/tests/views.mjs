/* Every view in both languages and at both widths: no untranslated key or English
   string in the French view, the language switch, axe-core (no serious or critical
   violation), and a screenshot of each. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { harness, DESKTOP, PHONE } from './harness.mjs'

const require = createRequire(import.meta.url)
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const fr = JSON.parse(readFileSync(new URL('../src/i18n/fr.json', import.meta.url), 'utf8'))
const en = JSON.parse(readFileSync(new URL('../src/i18n/en.json', import.meta.url), 'utf8'))

/** Every page of the dashboard a person can open. */
export const PAGES = [
  ['overview', '/'],
  ['overview-compare', '/?compare=previous_period&period=7d'],
  ['funnels', '/funnels'],
  ['journeys', '/journeys'],
  ['journeys-from', '/journeys?mode=paths_from&start=group:Symptom%20research'],
  ['journeys-sankey', '/journeys?show=sankey'],
  ['attribution', '/attribution'],
  ['realtime', '/realtime'],
  ...['site', 'install', 'goals', 'groups', 'funnels', 'privacy', 'keys'].map((s) => [`settings-${s}`, `/settings?section=${s}`]),
]

function leaves(o, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else leaves(v, `${prefix}${k}.`, out)
  }
  return out
}
const frKeys = leaves(fr)
const enKeys = leaves(en)

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

// English strings that a French reader must never see (longer than a word, and
// different from their French translation).
const englishOnly = [...enKeys.entries()]
  .filter(([k, v]) => frKeys.get(k) !== v && v.replace(/\{\w+\}/g, '').trim().length >= 8 && /[a-z]{3}/.test(v))
  .map(([, v]) => v.split(/\{\w+\}/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0])
  .filter((s) => s.length >= 8)

const visibleText = (page) =>
  page.evaluate(() => {
    const bits = [document.body.innerText]
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) bits.push(el.getAttribute(a))
    }
    return bits.join('\n')
  })

for (const [name, path] of PAGES) {
  test(`${name}: translated, accessible, and pictured at both widths`, async () => {
    const h = await harness()
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
          const english = englishOnly.filter((s) => text.includes(s))
          assert.deepEqual(english, [], `${name} (fr) shows English`)
        }
        await h.shot(page, `${name}-${width}-${lang}`)
        // axe-core is injected past the page's Content-Security-Policy by evaluating it.
        await page.evaluate(AXE)
        const result = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] })
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`)
        })
        assert.deepEqual(result, [], `${name} ${width} ${lang}: axe`)
        assert.deepEqual(page.problems, [], `${name} ${width} ${lang}`)
        await page.context().close()
      }
    }
  })
}

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
  assert.deepEqual(englishOnly.filter((s) => text.includes(s)), [])
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
