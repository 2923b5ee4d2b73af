/* A funnel definition as the builder holds it, as the URL holds it (`def=`, compact
   JSON), and as the API takes it; plus the words and links that describe a step. */

import { t } from '../../i18n/index.js'
import { apiDim } from '../../state/dimensions.js'

/** Step kinds, as the funnel API names their field. */
export const KINDS = ['page', 'content_group', 'goal', 'event']
/** Conversion windows offered (the API takes any up to 90d). */
export const WINDOWS = ['30m', '1h', '2h', '6h', '1d', '7d', '30d']
export const DEFAULT_WINDOW = '1d'
export const MIN_STEPS = 2
export const MAX_STEPS = 8
/** Breakdowns offered: URL value → API dimension. */
export const BREAKDOWNS = { channel: 'visit:channel', source: 'visit:source', utm_campaign: 'visit:utm_campaign', device: 'visit:device', country: 'visit:country' }

/** The API dimension of a breakdown id (those above, or any visit dimension's short name). */
export function breakdownDim(by) {
  if (BREAKDOWNS[by]) return BREAKDOWNS[by]
  const d = by ? apiDim(by) : null
  return d && d.startsWith('visit:') ? d : null
}

/** A breakdown id in words, for the select and the table's title. */
export const breakdownLabel = (by) => (BREAKDOWNS[by] || by === 'none' ? t(`funnels.by.${by}`) : t(`dim.${by}`))
export const breakdownTitle = (by) => (BREAKDOWNS[by] ? t(`funnels.by_title.${by}`) : t('funnels.by_title_other', { dim: t(`dim.${by}`) }))

const SECONDS = { m: 60, h: 3600, d: 86400, s: 1 }

/** Seconds of a window such as `30m` or `1d` (null when unreadable). */
export function windowSeconds(w) {
  const m = /^(\d+)([smhd])$/.exec(String(w || ''))
  return m ? +m[1] * SECONDS[m[2]] : null
}

/** A window in words: `1 day`, `30 minutes`, or a duration for other lengths. */
export function windowLabel(w, fmt) {
  if (WINDOWS.includes(w)) return t(`funnels.window_opt.${w}`)
  const known = WINDOWS.find((x) => windowSeconds(x) === windowSeconds(w))
  if (known) return t(`funnels.window_opt.${known}`)
  return fmt.duration(windowSeconds(w))
}

/** The window of a number of seconds, in words. */
export function secondsLabel(sec, fmt) {
  const known = WINDOWS.find((x) => windowSeconds(x) === sec)
  return known ? t(`funnels.window_opt.${known}`) : fmt.duration(sec)
}

/** An API step → the builder's step {kind, value, name, props: [[k, v]]}. */
export function fromApiStep(s) {
  const kind = KINDS.find((k) => typeof s?.[k] === 'string') || 'page'
  return { kind, value: s?.[kind] || '', name: s?.name || '', props: kind === 'event' ? Object.entries(s.props || {}) : [] }
}

/** The builder's step → an API step. */
export function toApiStep(s) {
  const out = {}
  if (s.name.trim()) out.name = s.name.trim()
  out[s.kind] = s.kind === 'page' || s.kind === 'event' ? s.value.trim() : s.value
  if (s.kind === 'event') {
    const props = s.props.filter(([k]) => k.trim())
    if (props.length) out.props = Object.fromEntries(props.map(([k, v]) => [k.trim(), v.trim()]))
  }
  return out
}

/** A fresh step of a kind, with the site's first goal or group chosen. */
export function blankStep(kind, defs) {
  const value = kind === 'goal' ? defs.goals[0]?.name || '' : kind === 'content_group' ? defs.groups[0]?.name || '' : ''
  return { kind, value, name: '', props: [] }
}

/** The draft of a new funnel. */
export function newDraft(defs) {
  return { name: '', window: DEFAULT_WINDOW, steps: [blankStep('page', defs), blankStep(defs.goals.length ? 'goal' : 'page', defs)], filters: [] }
}

/** A saved funnel → a draft. */
export function draftOf(f) {
  return { name: f.name || '', window: f.window || DEFAULT_WINDOW, steps: (f.steps || []).map(fromApiStep), filters: f.filters || [] }
}

/** A draft as the `def=` URL parameter: {n, w, s: [API steps], f?}. */
export function encodeDraft(d) {
  const o = { n: d.name, w: d.window, s: d.steps.map((s) => {
    // Keep empty values so a half-built step survives a reload.
    const a = { [s.kind]: s.value }
    if (s.name) a.name = s.name
    if (s.kind === 'event' && s.props.length) a.props = Object.fromEntries(s.props)
    return a
  }) }
  if (d.filters?.length) o.f = d.filters
  return JSON.stringify(o)
}

/** The `def=` parameter → a draft (null when unreadable). */
export function decodeDraft(s) {
  try {
    const o = JSON.parse(s)
    if (!o || !Array.isArray(o.s)) return null
    return {
      name: typeof o.n === 'string' ? o.n : '',
      window: typeof o.w === 'string' && windowSeconds(o.w) ? o.w : DEFAULT_WINDOW,
      steps: o.s.slice(0, MAX_STEPS).map(fromApiStep),
      filters: Array.isArray(o.f) ? o.f : [],
    }
  } catch {
    return null
  }
}

/** What is wrong with a draft's steps, as messages (empty when it can be asked). */
export function problems(d) {
  const out = []
  d.steps.forEach((s, i) => {
    const n = i + 1
    if (!String(s.value).trim()) out.push({ step: i, text: t(`funnels.invalid.${s.kind}`, { n }) })
    else if (s.kind === 'page' && !s.value.trim().startsWith('/')) out.push({ step: i, text: t('funnels.invalid.page_slash', { n }) })
    else if (s.kind === 'event' && s.props.some(([k, v]) => k.trim() && !v.trim())) out.push({ step: i, text: t('funnels.invalid.prop_value', { n }) })
  })
  if (d.steps.length < MIN_STEPS) out.push({ step: null, text: t('funnels.invalid.too_few') })
  return out
}

/** A step in words: `Page /medecins/*`, `Event Booking Confirmed (specialty = cardiologie)`. */
export function describe(s) {
  if (!s) return ''
  const kind = KINDS.find((k) => typeof s[k] === 'string')
  if (!kind) return ''
  let text = t(`funnels.desc.${kind}`, { value: s[kind] })
  const props = Object.entries(s.props || {})
  if (kind === 'event' && props.length) text += ' ' + t('funnels.desc.props', { props: props.map(([k, v]) => `${k} = ${v}`).join(', ') })
  return text
}

const JOURNEY_KIND = { page: 'page', content_group: 'group', event: 'event', goal: 'goal' }

/** A step as the journeys view's `start=` / `not=` value (`group:Symptom research`). */
export function journeyRef(s) {
  const kind = KINDS.find((k) => typeof s?.[k] === 'string')
  return kind ? `${JOURNEY_KIND[kind]}:${s[kind]}` : null
}
