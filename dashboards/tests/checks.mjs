/* Checks shared by the browser tests: raw translation keys and English strings on a
   French page, and axe-core's serious or critical violations. */

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const fr = JSON.parse(readFileSync(new URL('../src/i18n/fr.json', import.meta.url), 'utf8'))
const en = JSON.parse(readFileSync(new URL('../src/i18n/en.json', import.meta.url), 'utf8'))

function leaves(o, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else leaves(v, `${prefix}${k}.`, out)
  }
  return out
}
export const frKeys = leaves(fr)
export const enKeys = leaves(en)

// English strings that a French reader must never see (longer than a word, and
// different from their French translation); examples in placeholders are site data.
export const englishOnly = [...enKeys.entries()]
  .filter(([k, v]) => !/(_ph|placeholder|example)$/.test(k))
  .filter(([k, v]) => frKeys.get(k) !== v && v.replace(/\{\w+\}/g, '').trim().length >= 8 && /[a-z]{3}/.test(v))
  .map(([, v]) => v.split(/\{\w+\}/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0])
  .filter((s) => s.length >= 8)

// A whole-word occurrence: "Interval" inside "Intervalle" is French.
export const shows = (text, s) => new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(text)

/** The page's visible text, with its labels, titles and placeholders. */
export const visibleText = (page) =>
  page.evaluate(() => {
    const clone = document.body.cloneNode(true)
    for (const el of clone.querySelectorAll('[translate=no]')) el.remove()
    document.body.append(clone)
    clone.style.cssText = 'position:absolute;left:-99999px;top:0'
    const bits = [clone.innerText]
    clone.remove()
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) bits.push(el.getAttribute(a))
    }
    return bits.join('\n')
  })

/** Translation keys shown raw on the page. */
export async function rawKeys(page) {
  const text = await visibleText(page)
  return [...text.matchAll(/\b([a-z_]+\.[a-z_0-9.]+)\b/g)].map((m) => m[1]).filter((k) => enKeys.has(k) || frKeys.has(k) || enKeys.has(k + '.other'))
}

/** English strings on a French page (`data`: the site's own words, left out). */
export async function englishOn(page, data = new Set()) {
  const text = await visibleText(page)
  return englishOnly.filter((s) => shows(text, s) && !data.has(s))
}

/** axe-core's serious and critical violations (injected past the page's CSP by evaluating it). */
export async function axeViolations(page) {
  await page.evaluate(AXE)
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`)
  })
}
