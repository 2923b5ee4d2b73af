/* The headline figures with their change against the comparison period; choosing
   one draws it in the chart below. */

import { html } from '../../components/html.js'
import { t, fmt } from '../../i18n/index.js'

/** Formats a value of a headline metric. */
export function formatMetric(m, v) {
  if (m === 'bounce_rate' || m === 'conversion_rate') return fmt.percent(v)
  if (m === 'visit_duration') return fmt.duration(v)
  return fmt.compact(v)
}

// Whether a rise is good news: only for the bounce rate is it not.
const lowerIsBetter = { bounce_rate: true }

/** items: [{metric, value, prev, change, points}]; selected: metric; onSelect(metric). */
export function TopStats({ items, selected, onSelect, comparing }) {
  return html`<div class="top-stats" role="group" aria-label=${t('overview.headline')}>
    ${items.map((it) => {
      const dir = it.change === null || it.change === undefined || it.change === 0 ? 0 : it.change > 0 ? 1 : -1
      const good = dir === 0 ? '' : (dir > 0) !== !!lowerIsBetter[it.metric] ? 'up' : 'down'
      return html`<button type="button" class=${selected === it.metric ? 'stat on' : 'stat'} aria-pressed=${selected === it.metric ? 'true' : 'false'}
          onClick=${() => onSelect(it.metric)} data-testid=${'stat-' + it.metric} disabled=${it.disabled}>
        <span class="stat-label">${t(`metric.${it.metric}`)}</span>
        <span class="stat-value" data-raw=${it.value ?? ''}>${it.disabled ? '–' : formatMetric(it.metric, it.value)}</span>
        ${comparing && !it.disabled
          ? html`<span class=${'stat-change ' + good}>
              <span aria-hidden="true">${dir > 0 ? '↑' : dir < 0 ? '↓' : ''}</span> ${fmt.change(it.change, it.points)}
              <span class="stat-prev">${t('overview.was', { value: formatMetric(it.metric, it.prev) })}</span>
            </span>`
          : null}
        ${it.hint ? html`<span class="stat-hint">${it.hint}</span>` : null}
      </button>`
    })}
  </div>`
}
