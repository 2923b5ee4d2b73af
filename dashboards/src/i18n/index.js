/* Translations and locale formats: the only place that knows about languages.
   Views call t('key', {param}) for every string and fmt.* for every number or date,
   so switching the language re-renders everything from here. */

import { signal, computed } from '@preact/signals'

// One language's strings are loaded at a time (each file is its own chunk), so the
// first view does not carry the other language.
const loaders = { fr: () => import('./fr.json'), en: () => import('./en.json') }
const catalogs = {}

/** Languages offered, in the switcher's order. */
export const LANGS = ['fr', 'en']

function initial() {
  const asked = new URLSearchParams(location.search).get('lang')
  if (LANGS.includes(asked)) return asked
  for (const l of navigator.languages || [navigator.language || '']) {
    const base = String(l).slice(0, 2).toLowerCase()
    if (LANGS.includes(base)) return base
  }
  return 'en'
}

/** The current language; views re-render when it changes. Set it with `setLang`. */
export const lang = signal(initial())

/** Loads a language's strings (once). */
export async function loadLang(l) {
  if (!catalogs[l]) catalogs[l] = (await loaders[l]()).default
}

/** Switches the language once its strings are loaded. */
export async function setLang(l) {
  if (!LANGS.includes(l)) return
  await loadLang(l)
  lang.value = l
}

const locale = computed(() => (lang.value === 'fr' ? 'fr-FR' : 'en-GB'))

function lookup(cat, key) {
  let v = cat
  for (const part of key.split('.')) {
    if (v == null || typeof v !== 'object') return undefined
    v = v[part]
  }
  return typeof v === 'string' ? v : undefined
}

/** Whether a key exists in the current language (for optional value labels). */
export function has(key) {
  return lookup(catalogs[lang.value] || {}, key) !== undefined
}

/** The string for `key`, with `{name}` placeholders filled; `{count}` picks `.one` / `.other`. */
export function t(key, params) {
  const cat = catalogs[lang.value] || {}
  let s
  if (params && typeof params.count === 'number') {
    const form = new Intl.PluralRules(locale.value).select(params.count)
    s = lookup(cat, `${key}.${form}`) ?? lookup(cat, `${key}.other`)
  }
  s = s ?? lookup(cat, key)
  // A missing key shows itself, which the i18n test looks for on every view.
  if (s === undefined) return key
  if (!params) return s
  return s.replace(/\{(\w+)\}/g, (m, name) => {
    const v = params[name]
    if (v === undefined || v === null) return m
    return typeof v === 'number' ? fmt.number(v) : String(v)
  })
}

const cache = new Map()
function nf(opts) {
  const k = locale.value + JSON.stringify(opts)
  if (!cache.has(k)) cache.set(k, new Intl.NumberFormat(locale.value, opts))
  return cache.get(k)
}
function df(opts) {
  const k = 'd' + locale.value + JSON.stringify(opts)
  if (!cache.has(k)) cache.set(k, new Intl.DateTimeFormat(locale.value, { timeZone: 'UTC', ...opts }))
  return cache.get(k)
}

/** Parses an API day (`2026-11-30`) or hour (`2026-11-30 14:00:00`) label as a UTC instant of its wall time. */
export function parseLabel(label) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[ T](\d{2}):(\d{2}))?/.exec(String(label))
  if (!m) return null
  return new Date(Date.UTC(+m[1], +m[2] - 1, m[3] ? +m[3] : 1, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0))
}

/** Locale formats; every figure a view shows goes through one of these. */
export const fmt = {
  number: (n) => (n === null || n === undefined ? '–' : nf({ maximumFractionDigits: 1 }).format(n)),
  /** Large counts in cards: 12 345 stays exact below 100 000, then 123 k. */
  compact: (n) =>
    n === null || n === undefined
      ? '–'
      : Math.abs(n) < 100000
        ? nf({ maximumFractionDigits: 1 }).format(n)
        : nf({ notation: 'compact', maximumFractionDigits: 1 }).format(n),
  /** A percentage as the API gives it (65.5 means 65.5 %). */
  percent: (p) => (p === null || p === undefined ? '–' : nf({ style: 'percent', maximumFractionDigits: 1 }).format(p / 100)),
  /** Seconds as `7 min 20 s`, `1 h 05 min`, `45 s`. */
  duration(sec) {
    if (sec === null || sec === undefined || Number.isNaN(sec)) return '–'
    const s = Math.round(sec)
    const h = Math.floor(s / 3600)
    const m = Math.floor((s % 3600) / 60)
    const r = s % 60
    const u = (k) => t(`units.${k}`)
    if (h >= 24) {
      const d = Math.floor(h / 24)
      return h % 24 ? `${nf({}).format(d)} ${u('d')} ${h % 24} ${u('h')}` : `${nf({}).format(d)} ${u('d')}`
    }
    if (h) return `${h} ${u('h')} ${String(m).padStart(2, '0')} ${u('min')}`
    if (m) return r ? `${m} ${u('min')} ${r} ${u('s')}` : `${m} ${u('min')}`
    return `${r} ${u('s')}`
  },
  /** A change against the comparison period: `+12 %`, or `+1.5 pts` for rates. */
  change(v, points) {
    if (v === null || v === undefined) return '–'
    const sign = v > 0 ? '+' : v < 0 ? '−' : '±'
    const abs = Math.abs(v)
    return points
      ? `${sign}${nf({ maximumFractionDigits: 1 }).format(abs)} ${t('units.points')}`
      : `${sign}${nf({ style: 'percent', maximumFractionDigits: 0 }).format(abs / 100)}`
  },
  /** A day label (`2026-11-30`) as `30 nov. 2026` / `30 Nov 2026`. */
  day: (label) => {
    const d = parseLabel(label)
    return d ? df({ day: 'numeric', month: 'short', year: 'numeric' }).format(d) : String(label)
  },
  dayShort: (label) => {
    const d = parseLabel(label)
    return d ? df({ day: 'numeric', month: 'short' }).format(d) : String(label)
  },
  weekday: (label) => {
    const d = parseLabel(label)
    return d ? df({ weekday: 'short', day: 'numeric', month: 'short' }).format(d) : String(label)
  },
  month: (label) => {
    const d = parseLabel(label)
    return d ? df({ month: 'long', year: 'numeric' }).format(d) : String(label)
  },
  hour: (label) => {
    const d = parseLabel(label)
    return d ? df({ hour: '2-digit', minute: '2-digit' }).format(d) : String(label)
  },
  /** A bucket label by interval. */
  bucket(label, interval) {
    if (interval === 'hour') return fmt.hour(label)
    if (interval === 'month') return fmt.month(label)
    if (interval === 'week') return t('chart.week_of', { day: fmt.dayShort(label) })
    return fmt.weekday(label)
  },
  range: ([a, b]) => (a === b ? fmt.day(a) : t('period.from_to', { from: fmt.day(a), to: fmt.day(b) })),
  /** An instant as the reader's local date and time to the minute: `7 déc. 2026, 10:00`. */
  stamp: (iso) => {
    const d = new Date(iso)
    return !iso || Number.isNaN(d.getTime())
      ? '–'
      : new Intl.DateTimeFormat(locale.value, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d)
  },
  time: (iso) => {
    const d = new Date(iso)
    return Number.isNaN(d.getTime())
      ? '–'
      : new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d)
  },
}

let regionNames
/** A country code as its name in the current language. */
export function countryName(code) {
  if (!/^[A-Z]{2}$/.test(code || '')) return null
  try {
    if (!regionNames || regionNames.lang !== lang.value) {
      regionNames = { lang: lang.value, dn: new Intl.DisplayNames([locale.value], { type: 'region' }) }
    }
    return regionNames.dn.of(code)
  } catch {
    return null
  }
}
