/* The URL is the single source of the view's state: site, period, comparison,
   filters, open tabs and each view's own choices. Reading it and writing it back
   happen only here, so a bookmarked or shared link always opens the same view. */

import { FILTERABLE, OPS } from './dimensions.js'

/** Views, by path. */
export const VIEWS = { '/': 'overview', '/funnels': 'funnels', '/journeys': 'journeys', '/attribution': 'attribution', '/realtime': 'realtime', '/settings': 'settings' }
const PATHS = Object.fromEntries(Object.entries(VIEWS).map(([p, v]) => [v, p]))
/** Views a shared link opens (its page is `/share/<token>`, the view in `?view=`). */
export const SHARED_VIEWS = ['overview', 'funnels', 'journeys', 'attribution', 'realtime']
const SHARE_PATH = /^\/share\/[^/]+\/?$/

/** The shared link's page path (`/share/<token>`), or null on any other page. */
export function sharePath(pathname = typeof location === 'undefined' ? '' : location.pathname) {
  return SHARE_PATH.test(pathname) ? pathname.replace(/\/$/, '') : null
}

/** Period presets, as the stats API names them. */
export const PERIODS = ['day', '7d', '28d', '30d', '91d', 'month', 'last_month', '6mo', '12mo', 'year', 'all', 'custom']
export const COMPARISONS = ['', 'previous_period', 'year_over_year']
export const INTERVALS = ['hour', 'day', 'week', 'month']

const DAY = /^\d{4}-\d{2}-\d{2}$/

// Keys with a fixed meaning; any other parameter is a view's own (funnel, mode, ...).
const COMMON = ['view', 'site', 'period', 'from', 'to', 'compare', 'match', 'interval', 'f', 'lang']

/** Splits `is,page,/a\,b,/c` into ['is', 'page', '/a,b', '/c']. */
export function splitFilter(s) {
  const parts = []
  let cur = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '\\' && i + 1 < s.length) cur += s[++i]
    else if (c === ',') {
      parts.push(cur)
      cur = ''
    } else cur += c
  }
  parts.push(cur)
  return parts
}

const esc = (v) => String(v).replace(/[\\,]/g, (c) => '\\' + c)

/** A filter as its URL form. */
export function joinFilter({ op, dim, values }) {
  return [op, dim, ...values].map(esc).join(',')
}

/** A filter from its URL form, or null when it does not make sense. */
export function parseFilter(s) {
  const [op, dim, ...values] = splitFilter(s)
  if (!OPS.includes(op) || !(FILTERABLE.includes(dim) || /^props:.+/.test(dim))) return null
  const vs = values.filter((v) => v !== '' || values.length === 1)
  if (!vs.length) return null
  return { op, dim, values: vs }
}

/** The view state held by a location. */
export function parse(loc) {
  const q = new URLSearchParams(loc.search)
  const period = PERIODS.includes(q.get('period')) ? q.get('period') : '30d'
  const from = DAY.test(q.get('from') || '') ? q.get('from') : null
  const to = DAY.test(q.get('to') || '') ? q.get('to') : null
  const extra = {}
  for (const [k, v] of q) if (!COMMON.includes(k)) extra[k] = v
  return {
    view: sharePath(loc.pathname) ? (SHARED_VIEWS.includes(q.get('view')) ? q.get('view') : 'overview') : VIEWS[loc.pathname] || 'overview',
    site: q.get('site') || null,
    period: period === 'custom' && !(from && to) ? '30d' : period,
    from,
    to,
    compare: COMPARISONS.includes(q.get('compare')) ? q.get('compare') : '',
    match: q.get('match') === 'weekday',
    interval: INTERVALS.includes(q.get('interval')) ? q.get('interval') : '',
    filters: q.getAll('f').map(parseFilter).filter(Boolean),
    lang: q.get('lang') || null,
    extra,
  }
}

// Readable URLs: keep `/ , : * @` as they are; encode only what would break parsing.
const enc = (s) =>
  encodeURIComponent(s).replace(/%(2C|2F|3A|40|2A|7C|3E)/g, (m) => decodeURIComponent(m))

/** The URL (path, search and, when given, a fragment) of a state. */
export function toUrl(st, hash = '') {
  const pairs = []
  const put = (k, v) => {
    if (v !== null && v !== undefined && v !== '' && v !== false) pairs.push(`${k}=${enc(v === true ? '1' : v)}`)
  }
  const shared = sharePath()
  if (shared && st.view !== 'overview') put('view', st.view)
  put('site', st.site)
  if (st.period !== '30d') put('period', st.period)
  if (st.period === 'custom') {
    put('from', st.from)
    put('to', st.to)
  }
  put('compare', st.compare)
  if (st.compare && st.match) put('match', 'weekday')
  put('interval', st.interval)
  for (const f of st.filters) put('f', joinFilter(f))
  for (const [k, v] of Object.entries(st.extra || {})) put(k, v)
  put('lang', st.lang)
  const search = pairs.length ? '?' + pairs.join('&') : ''
  return (shared || PATHS[st.view] || '/') + search + hash
}

/** The stats API's `date_range` for a state. */
export function dateRange(st) {
  return st.period === 'custom' ? [st.from, st.to] : st.period
}

/** The API's filter list for a state's filters. */
export function apiFilters(filters, apiDim) {
  return filters.map((f) => [f.op, apiDim(f.dim), f.values])
}
