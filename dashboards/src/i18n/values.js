/* Labels of values the API names in English: channels, devices, the markers of folded
   or missing groups, and country codes. Everything else (pages, sources, campaigns)
   is the site's own data and is shown as it is. */

import { t, has, countryName } from './index.js'

const MARKERS = { '(other)': 'other', '(none)': 'none', '(exit)': 'exit', '(entrance)': 'entrance', '…': 'earlier', '': 'not_set' }

/** The label of a dimension value in the current language. */
export function valueLabel(dim, v) {
  if (v === null || v === undefined) return t('value.not_set')
  const s = String(v)
  if (s in MARKERS) return t(`value.${MARKERS[s]}`)
  const d = String(dim || '').replace(/^(visit|event):/, '')
  if (d === 'channel' && has(`channel.${s}`)) return t(`channel.${s}`)
  if (d === 'device' && has(`device.${s}`)) return t(`device.${s}`)
  if (d === 'country') return countryName(s) || s
  return s
}
