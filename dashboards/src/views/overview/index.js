/* The overview: headline figures with their change, the chart, and the breakdown
   panels (sources, pages, locations, devices, goals, properties). */

import { html } from '../../components/html.js'
import { Loading, ErrorNote } from '../../components/states.js'
import { BasisNote } from '../../components/notes.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { route, base, setParam } from '../../state/store.js'
import { defs } from '../../state/site.js'
import { comparisons } from '../../components/period.js'
import { TopStats } from './top-stats.js'
import { Graph } from './graph.js'
import { Panels } from './panels.js'
import { NoData } from './no-data.js'

const METRICS = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration']
const POINTS = { bounce_rate: true, conversion_rate: true }

export function Overview() {
  const st = route.value
  const goals = defs.value.goals
  const goalFilter = goals.length ? [['is', 'event:goal', goals.map((g) => g.name)]] : null
  const cmp = comparisons(st)
  const body = { ...base.value, metrics: METRICS, include: cmp ? { comparisons: cmp } : undefined }
  const totals = useApi((signal) => api.query(body, { signal }), [JSON.stringify(body)])
  const convBody = goalFilter && { ...base.value, filters: [...base.value.filters, ...goalFilter], metrics: ['visitors'], include: body.include }
  const conv = useApi((signal) => (convBody ? api.query(convBody, { signal }) : Promise.resolve(null)), [JSON.stringify(convBody)])
  const row = totals.data?.results?.[0]
  const crow = conv.data?.results?.[0]
  const items = METRICS.map((m, i) => ({
    metric: m,
    value: row?.metrics[i],
    prev: row?.comparison?.metrics?.[i],
    change: row?.comparison?.change?.[i],
    points: POINTS[m],
  }))
  items.push({
    metric: 'conversions',
    value: crow?.metrics[0] ?? (conv.data ? 0 : null),
    prev: crow?.comparison?.metrics?.[0],
    change: crow?.comparison?.change?.[0],
    disabled: !goalFilter,
    hint: !goalFilter && defs.value.loaded ? t('overview.no_goals') : null,
  })
  const metric = [...METRICS, 'conversions'].includes(st.extra.metric) ? st.extra.metric : 'visitors'
  const empty = totals.data && row && row.metrics[0] === 0 && !st.filters.length
  return html`<div class="view overview">
    ${totals.error
      ? html`<${ErrorNote} error=${totals.error} onRetry=${totals.reload} />`
      : !totals.data
        ? html`<${Loading} lines=${2} />`
        : html`<${TopStats} items=${items} selected=${metric} comparing=${!!st.compare}
            onSelect=${(m) => setParam('metric', m === 'visitors' ? null : m, { replace: true })} />`}
    ${empty ? html`<${NoData} />` : null}
    <div class="grid">
      <${Graph} metric=${metric} apiMetric=${metric === 'conversions' ? 'visitors' : metric} extraFilters=${metric === 'conversions' ? goalFilter : null} />
      <${Panels} />
    </div>
    <${BasisNote} meta=${totals.data?.meta} />
  </div>`
}
