/* The period and comparison pickers: presets the stats API knows by name, a custom
   range of local days, and the comparison period (previous, last year, by weekday). */

import { useState } from 'preact/hooks'
import { html } from './html.js'
import { t } from '../i18n/index.js'
import { route, navigate } from '../state/store.js'
import { PERIODS } from '../state/url.js'

/** The period select, with two date fields when "custom" is chosen. */
export function PeriodPicker() {
  const st = route.value
  const [custom, setCustom] = useState(st.period === 'custom')
  const [from, setFrom] = useState(st.from || '')
  const [to, setTo] = useState(st.to || '')
  const choose = (p) => {
    if (p === 'custom') return setCustom(true)
    setCustom(false)
    navigate({ period: p, from: null, to: null, interval: '' })
  }
  const apply = (e) => {
    e.preventDefault()
    if (from && to && from <= to) navigate({ period: 'custom', from, to, interval: '' })
  }
  return html`<div class="period">
    <label class="inline">
      <span class="sr-only">${t('period.label')}</span>
      <select value=${custom ? 'custom' : st.period} onChange=${(e) => choose(e.target.value)} data-testid="period">
        ${PERIODS.map((p) => html`<option value=${p}>${t(`period.${p}`)}</option>`)}
      </select>
    </label>
    ${custom
      ? html`<form class="custom-range" onSubmit=${apply}>
          <label class="inline">${t('period.start')} <input type="date" value=${from} onInput=${(e) => setFrom(e.target.value)} required /></label>
          <label class="inline">${t('period.end')} <input type="date" value=${to} onInput=${(e) => setTo(e.target.value)} required /></label>
          <button type="submit" class="small">${t('action.apply')}</button>
        </form>`
      : null}
  </div>`
}

/** The comparison select and its "match weekdays" switch. */
export function ComparePicker() {
  const st = route.value
  return html`<div class="compare">
    <label class="inline">
      <span class="sr-only">${t('compare.label')}</span>
      <select value=${st.compare} onChange=${(e) => navigate({ compare: e.target.value })} data-testid="compare">
        <option value="">${t('compare.none')}</option>
        <option value="previous_period">${t('compare.previous_period')}</option>
        <option value="year_over_year">${t('compare.year_over_year')}</option>
      </select>
    </label>
    ${st.compare
      ? html`<label class="inline check"><input type="checkbox" checked=${st.match} onChange=${(e) => navigate({ match: e.target.checked })} /> ${t('compare.match_weekday')}</label>`
      : null}
  </div>`
}

/** The stats API's `include.comparisons` for the current state, or undefined. */
export function comparisons(st) {
  return st.compare ? { mode: st.compare, match_day_of_week: st.match } : undefined
}
