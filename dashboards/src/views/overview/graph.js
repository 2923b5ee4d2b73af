/* The overview's chart: one metric over time by the chosen interval, the comparison
   period drawn beside it by bucket position; clicking a bucket zooms into it. */

import { html } from '../../components/html.js'
import { Chart } from '../../components/chart.js'
import { Tabs } from '../../components/panel.js'
import { Loading, ErrorNote } from '../../components/states.js'
import { t, fmt, parseLabel } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { route, navigate, base } from '../../state/store.js'
import { comparisons } from '../../components/period.js'
import { formatMetric } from './top-stats.js'

const DAYS = { day: 1, '7d': 7, '28d': 28, '30d': 30, '91d': 91, month: 31, last_month: 31, '6mo': 184, '12mo': 366, year: 366, all: 10000 }

/** Days the state's period spans (an upper bound for named months). */
export function periodDays(st) {
  if (st.period === 'custom') return Math.round((Date.parse(st.to) - Date.parse(st.from)) / 864e5) + 1
  return DAYS[st.period] || 30
}

/** Intervals that make sense for a period, the default first. */
export function intervals(st) {
  const d = periodDays(st)
  if (d <= 1) return ['hour', 'day']
  if (d <= 7) return ['day', 'hour', 'week']
  if (d <= 31) return ['day', 'week']
  if (d <= 184) return ['week', 'day', 'month']
  return ['month', 'week', 'day']
}

const iso = (d) => d.toISOString().slice(0, 10)

/** The range a clicked bucket covers, clipped to the answer's range; null for hours. */
export function zoomRange(label, interval, [first, last]) {
  const d = parseLabel(label)
  if (!d || interval === 'hour') return null
  let end = new Date(d)
  if (interval === 'week') end.setUTCDate(end.getUTCDate() + 6)
  if (interval === 'month') end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))
  const from = iso(d) < first ? first : iso(d)
  const to = iso(end) > last ? last : iso(end)
  return [from, to]
}

/** metric: the chosen headline metric; extraFilters: those it implies (conversions). */
export function Graph({ metric, apiMetric, extraFilters }) {
  const st = route.value
  const allowed = intervals(st)
  const interval = allowed.includes(st.interval) ? st.interval : allowed[0]
  const body = {
    ...base.value,
    filters: [...base.value.filters, ...(extraFilters || [])],
    metrics: [apiMetric],
    dimensions: [`time:${interval}`],
    include: { time_labels: true, comparisons: comparisons(st) },
  }
  const res = useApi((signal) => api.query(body, { signal }), [JSON.stringify(body)])
  const a = res.data
  const labels = a?.meta?.time_labels || a?.results?.map((r) => r.dimensions[0]) || []
  const byLabel = new Map((a?.results || []).map((r) => [r.dimensions[0], r]))
  const values = labels.map((l) => byLabel.get(l)?.metrics[0] ?? 0)
  const compare = st.compare && a ? labels.map((l) => byLabel.get(l)?.comparison?.metrics?.[0] ?? null) : null
  const compareLabels = st.compare && a ? a.meta.comparison_time_labels || labels.map((l) => byLabel.get(l)?.comparison?.dimensions?.[0]) : null
  const pick = (i) => {
    const r = zoomRange(labels[i], interval, a.meta.date_range)
    if (r) navigate({ period: 'custom', from: r[0], to: r[1], interval: '' })
  }
  return html`<section class="panel wide graph" aria-labelledby="graph-title" data-testid="graph">
    <header class="panel-head">
      <h2 id="graph-title">${t(`metric.${metric}`)}</h2>
      <${Tabs} label=${t('chart.interval')} value=${interval} tabs=${allowed.map((i) => [i, t(`interval.${i}`)])}
        onChange=${(v) => navigate({ interval: v === allowed[0] ? '' : v }, { replace: true })} />
    </header>
    <div class="panel-body">
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !a
          ? html`<${Loading} lines=${5} />`
          : html`<div class=${res.loading ? 'stale' : ''}>
              <${Chart} title=${t(`metric.${metric}`)} labels=${labels} values=${values} compare=${compare} compareLabels=${compareLabels}
                format=${(v) => formatMetric(metric, v)} bucket=${(l) => fmt.bucket(l, interval)} onPick=${interval === 'hour' ? null : pick} />
              ${st.compare
                ? html`<p class="legend"><span class="key main"></span> ${fmt.range(a.meta.date_range)}
                    ${a.meta.comparison_date_range ? html`<span class="key cmp"></span> ${fmt.range(a.meta.comparison_date_range)}` : null}</p>`
                : null}
            </div>`}
    </div>
  </section>`
}
