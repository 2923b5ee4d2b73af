/* Attribution: which channels, sources and campaigns bring the visitors who convert,
   credited to their first visit or to the visit where they converted. */

import { html } from '../../components/html.js'
import { Panel, Tabs } from '../../components/panel.js'
import { RankedList } from '../../components/ranked-list.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { BasisNote } from '../../components/notes.js'
import { downloadCsv } from '../../components/csv.js'
import { addFilter } from '../../components/filters.js'
import { t, fmt } from '../../i18n/index.js'
import { valueLabel } from '../../i18n/values.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { route, base, setParam, linkTo } from '../../state/store.js'
import { defs } from '../../state/site.js'
import { canEditDefs } from '../../state/session.js'
import { shortDim } from '../../state/dimensions.js'

const DIMS = [['channel', 'visit:channel'], ['source', 'visit:source'], ['utm_campaign', 'visit:utm_campaign'], ['utm_medium', 'visit:utm_medium']]
const MODELS = ['first_touch', 'last_touch']

export function Attribution() {
  const st = route.value
  const goals = defs.value.goals
  if (defs.value.loaded && !goals.length) {
    return html`<div class="view"><div class="panel callout"><h2>${t('attribution.title')}</h2><p>${t('goals.none')} ${canEditDefs() ? html`<a href=${linkTo('settings', { section: 'goals' })}>${t('goals.define')}</a>` : null}</p></div></div>`
  }
  const goal = goals.find((g) => g.name === st.extra.goal)?.name || goals.find((g) => /book|rendez|confirm/i.test(g.name))?.name || goals[0]?.name
  const model = MODELS.includes(st.extra.model) ? st.extra.model : 'first_touch'
  const dimId = DIMS.find(([id]) => id === st.extra.by)?.[0] || 'channel'
  const dim = DIMS.find(([id]) => id === dimId)[1]
  const body = goal && { ...base.value, goal, dimension: dim, attribution: model }
  const res = useApi((signal) => (body ? api.attribution(body, { signal }) : Promise.resolve(null)), [JSON.stringify(body)])
  const a = res.data
  const k = a?.meta?.min_group_size ?? 5
  // Ranked by conversions, as the bars are; hidden counts after shown ones, (other) last.
  const rank = (r) => (r.value === '(other)' ? -2 : r.conversions === null || r.conversions === undefined ? -1 : r.conversions)
  const rows = [...(a?.results || [])].sort((x, y) => rank(y) - rank(x) || (y.visitors ?? 0) - (x.visitors ?? 0))
  const count = (n) => (n === null || n === undefined ? t('attribution.hidden', { k }) : fmt.number(n))
  const exportCsv = () =>
    downloadCsv(`attribution-${model}-${dimId}.csv`, [t(`tab.${dimId}`), t('metric.conversions'), t('metric.visitors'), t('metric.conversion_rate')],
      rows.map((r) => [r.value, r.conversions, r.visitors, r.conversion_rate]))
  return html`<div class="view attribution">
    <div class="actions view-controls">
      <label class="inline">${t('attribution.goal')}
        <select value=${goal || ''} onChange=${(e) => setParam('goal', e.target.value)} data-testid="attr-goal">
          ${goals.map((g) => html`<option value=${g.name}>${g.name}</option>`)}
        </select>
      </label>
      <${Tabs} label=${t('attribution.model')} value=${model} tabs=${MODELS.map((m) => [m, t(`attribution.${m}`)])} onChange=${(v) => setParam('model', v === 'first_touch' ? null : v)} />
    </div>
    <p class="hint">${t(`attribution.${model}_hint`)}</p>
    <${Panel} id="attribution" wide title=${t('attribution.title_goal', { goal: goal || '' })}
      tabs=${html`<${Tabs} label=${t('attribution.by')} value=${dimId} tabs=${DIMS.map(([id]) => [id, t(`tab.${id}`)])} onChange=${(v) => setParam('by', v === 'channel' ? null : v)} />`}
      actions=${html`<button type="button" class="link small" onClick=${exportCsv} disabled=${!rows.length} data-testid="csv">${t('action.csv')}</button>`}
      footer=${a ? html`<span class="note">${t('attribution.total', { conversions: a.total?.conversions ?? '–', visitors: a.total?.visitors ?? '–' })}</span>` : null}>
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !a
          ? html`<${Loading} />`
          : !rows.length
            ? html`<${Empty}>${t('attribution.none')}</${Empty}>`
            : html`<div class=${res.loading ? 'stale' : ''}><${RankedList} labelHeader=${t(`tab.${dimId}`)}
                columns=${[t('metric_short.conversions'), t('metric_short.visitors'), t('metric_short.conversion_rate')]}
                rows=${rows.map((r) => ({
                  id: r.value,
                  label: valueLabel(dim, r.value),
                  bar: r.conversions ?? 0,
                  cells: [count(r.conversions), count(r.visitors), fmt.percent(r.conversion_rate)],
                  select: r.value === '(other)' ? null : () => addFilter(shortDim(dim), r.value),
                }))}
                selectTitle=${(r) => t('filter.by_value', { value: r.label })} /></div>`}
    </${Panel}>
    <${BasisNote} meta=${a?.meta} />
  </div>`
}
