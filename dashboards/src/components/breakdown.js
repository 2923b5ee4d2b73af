/* A breakdown panel: one stats query by one dimension, drawn as a ranked list whose
   rows filter the dashboard, with "show all" and CSV export of the full answer. */

import { useState } from 'preact/hooks'
import { html } from './html.js'
import { Panel, Tabs } from './panel.js'
import { RankedList } from './ranked-list.js'
import { Loading, ErrorNote, Empty } from './states.js'
import { SuppressionNote } from './notes.js'
import { downloadCsv } from './csv.js'
import { addFilter, dimLabel } from './filters.js'
import { t, fmt } from '../i18n/index.js'
import { valueLabel } from '../i18n/values.js'
import { api } from '../api/client.js'
import { useApi } from '../api/use.js'
import { base, route, setParam } from '../state/store.js'
import { shortDim } from '../state/dimensions.js'

const SHORT = 9
const FORMAT = { visitors: fmt.number, visits: fmt.number, pageviews: fmt.number, events: fmt.number, conversion_rate: fmt.percent, bounce_rate: fmt.percent, visit_duration: fmt.duration, time_on_page: fmt.duration }

/**
 * tabs: [{id, label, dim (API name), metrics, filterDim?, extraFilters?, clickable?}]
 * param: the URL parameter holding the open tab.
 */
export function BreakdownPanel({ id, title, tabs, param, emptyText, header }) {
  const st = route.value
  const tab = tabs.find((x) => x.id === st.extra[param]) || tabs[0]
  const [all, setAll] = useState(false)
  const q = base.value
  const body = {
    ...q,
    filters: [...q.filters, ...(tab.extraFilters || [])],
    metrics: tab.metrics,
    dimensions: [tab.dim],
    pagination: { limit: all ? 100 : SHORT + 1 },
  }
  const res = useApi((signal) => api.query(body, { signal }), [JSON.stringify(body)])
  const rows = res.data?.results || []
  const short = shortDim(tab.filterDim || tab.dim)
  const listed = all ? rows : rows.slice(0, SHORT)
  const clickable = tab.clickable !== false
  const exportCsv = async () => {
    const full = await api.query({ ...body, pagination: { limit: 10000 } })
    const head = [dimLabel(short), ...tab.metrics.map((m) => t(`metric.${m}`))]
    downloadCsv(`${id}-${tab.id}.csv`, head, full.results.map((r) => [r.dimensions[0], ...r.metrics]))
  }
  const tabsEl =
    tabs.length > 1
      ? html`<${Tabs} label=${title} value=${tab.id} tabs=${tabs.map((x) => [x.id, x.label])} onChange=${(v) => setParam(param, v === tabs[0].id ? null : v, { replace: true })} />`
      : null
  let content
  if (res.error) content = html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
  else if (!res.data) content = html`<${Loading} />`
  else if (!rows.length) content = html`<${Empty}>${emptyText || t('state.no_data_period')}</${Empty}>`
  else
    content = html`<div class=${res.loading ? 'stale' : ''}>
      <${RankedList}
        labelHeader=${tab.label}
        columns=${tab.metrics.map((m) => t(`metric_short.${m}`))}
        rows=${listed.map((r) => {
          const v = r.dimensions[0]
          const special = v === '(other)'
          return {
            id: v,
            label: valueLabel(short, v),
            bar: r.metrics[0],
            cells: r.metrics.map((m, i) => (FORMAT[tab.metrics[i]] || fmt.number)(m)),
            select: clickable && !special ? () => addFilter(short, v) : null,
          }
        })}
        selectTitle=${(r) => t('filter.by_value', { value: r.label })}
      />
    </div>`
  const more = rows.length > SHORT || all
  return html`<${Panel} id=${id} title=${title} tabs=${tabsEl}
    footer=${res.data ? html`<${SuppressionNote} meta=${res.data.meta} />` : null}
    actions=${html`
      ${more ? html`<button type="button" class="link small" onClick=${() => setAll(!all)}>${all ? t('action.show_less') : t('action.show_all')}</button>` : null}
      <button type="button" class="link small" onClick=${exportCsv} disabled=${!rows.length} data-testid="csv">${t('action.csv')}</button>`}>
    ${header}${content}
  </${Panel}>`
}
