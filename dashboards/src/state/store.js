/* The live view state: one signal read by every view, changed only through navigate(). */

import { signal, computed } from '@preact/signals'
import { parse, toUrl, dateRange, apiFilters } from './url.js'
import { apiDim } from './dimensions.js'
import { lang, setLang } from '../i18n/index.js'

/** The current view state, parsed from the URL. */
export const route = signal(parse(location))
if (route.value.lang) lang.value = route.value.lang === 'fr' ? 'fr' : 'en'

addEventListener('popstate', () => {
  route.value = parse(location)
  if (route.value.lang) setLang(route.value.lang)
})

/** Moves to a new state: `patch` replaces fields; `extra` keys set to null are removed. */
export function navigate(patch, { replace = false, keepExtra = true } = {}) {
  const cur = route.value
  const extra = { ...(keepExtra ? cur.extra : {}), ...(patch.extra || {}) }
  for (const k of Object.keys(extra)) if (extra[k] === null || extra[k] === undefined) delete extra[k]
  const next = { ...cur, ...patch, extra }
  const url = toUrl(next)
  if (url !== location.pathname + location.search + location.hash) history[replace ? 'replaceState' : 'pushState'](null, '', url)
  route.value = next
}

/** Sets one of the view's own URL parameters (null removes it). */
export function setParam(key, value, opts) {
  navigate({ extra: { [key]: value } }, opts)
}

/** A link to another view that keeps site, period and filters. */
export function linkTo(view, extra = {}) {
  return toUrl({ ...route.value, view, extra })
}

/** The shared part of every query: site, period and filters. */
export const base = computed(() => {
  const st = route.value
  return { site_id: st.site, date_range: dateRange(st), filters: apiFilters(st.filters, apiDim) }
})

/** The link to this view, for a colleague who has an account. */
export function shareUrl() {
  return location.origin + toUrl(route.value)
}
