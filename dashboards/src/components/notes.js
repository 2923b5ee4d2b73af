/* What a figure rests on, said under every answer: the minimum group size and how
   many groups it folded, the visitor-id lifetime, and the site's time zone. */

import { html } from './html.js'
import { t, fmt } from '../i18n/index.js'

/** The visitor-id lifetime of an answer, in words. */
export function lifetime(meta) {
  const code = meta?.visitor_ids || (String(meta?.visitor_id_lifetime || '').includes('consent') ? 'daily_and_consented' : 'daily')
  return t(`note.ids_${code}`)
}

/** "Groups under N visitors are folded into (other)", with the count folded. */
export function SuppressionNote({ meta }) {
  if (!meta) return null
  const k = meta.min_group_size
  const n = meta.suppressed_groups || 0
  return html`<span class="note">${t('note.min_group', { k })}${n ? ' ' + t('note.suppressed', { count: n }) : ''}</span>`
}

/** The full footnote of a view: suppression, id lifetime and time zone. */
export function BasisNote({ meta, extra }) {
  if (!meta) return null
  return html`<p class="basis" data-testid="basis">
    ${t('note.min_group', { k: meta.min_group_size })} · ${lifetime(meta)} · ${t('note.time_zone', { tz: meta.time_zone })}${meta.date_range ? html` · ${t('note.period', { range: fmt.range(meta.date_range) })}` : null}${extra ? html` · ${extra}` : null}
  </p>`
}
