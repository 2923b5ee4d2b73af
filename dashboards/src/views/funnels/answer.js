/* A funnel's answer: one horizontal bar per step with its visitors and rates, what
   happened between two steps (who went on, who dropped off, the median time, and a
   link to the journeys of those who left), the breakdown table, and the notes the
   figures rest on. Only numbers the API gave are shown; a hidden count stays hidden. */

import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { BasisNote, SuppressionNote } from '../../components/notes.js'
import { downloadCsv } from '../../components/csv.js'
import { t, fmt } from '../../i18n/index.js'
import { valueLabel } from '../../i18n/values.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { linkTo, setParam } from '../../state/store.js'
import { shortDim } from '../../state/dimensions.js'
import { BREAKDOWNS, breakdownLabel, breakdownTitle, describe, journeyRef, secondsLabel } from './def.js'

/** A count, or `< k` when the API hid it. */
function Count({ n, k }) {
  if (n !== null && n !== undefined) return fmt.number(n)
  return html`<span class="fn-hidden" title=${t('funnels.hidden_title', { k })}><span aria-hidden="true">${t('funnels.hidden', { k })}</span><span class="sr-only">${t('funnels.hidden_title', { k })}</span></span>`
}

/** A rate, or a dash that says it is hidden. */
function Rate({ p }) {
  if (p !== null && p !== undefined) return fmt.percent(p)
  return html`<span class="fn-hidden" title=${t('funnels.hidden_rate')}><span aria-hidden="true">–</span><span class="sr-only">${t('funnels.hidden_rate')}</span></span>`
}

/** `12 345` or `< 5` as text, for CSV cells and sentences. */
const countText = (n, k) => (n === null || n === undefined ? t('funnels.hidden', { k }) : n)

/** The breakdown select, shown in the answer's header. */
export function BreakdownSelect({ value, onChange }) {
  return html`<label class="inline small fn-by">${t('funnels.breakdown_label')}
    <select value=${value} onChange=${(e) => onChange(e.target.value)} data-testid="funnel-breakdown">
      ${['none', ...Object.keys(BREAKDOWNS), ...(value !== 'none' && !BREAKDOWNS[value] ? [value] : [])].map((id) => html`<option value=${id}>${breakdownLabel(id)}</option>`)}
    </select>
  </label>`
}

/** The sentence above the bars: how many started, how many went through. */
function Headline({ steps, k }) {
  const first = steps[0]
  const last = steps[steps.length - 1]
  if (first.visitors === null) return html`<p class="fn-headline">${t('funnels.headline_hidden_start', { k })}</p>`
  if (last.visitors === null)
    return html`<p class="fn-headline">${t('funnels.headline_hidden_end', { k, start: first.visitors })}</p>`
  return html`<p class="fn-headline">
    <strong>${t('funnels.headline_rate', { rate: fmt.percent(last.conversion_rate) })}</strong>${' '}
    ${t('funnels.headline', { done: last.visitors, start: first.visitors })}
  </p>`
}

/** Between step i-1 and step i: who went on, who left, how long it took. */
function Between({ step, n, prevDef, def, prevName, name, k }) {
  const from = journeyRef(prevDef)
  const not = journeyRef(def)
  const left = step.dropoff
  const canGo = from && not && left !== 0
  return html`<div class="fn-between">
    <span class="fn-arrow" aria-hidden="true">↓</span>
    <span class="fn-between-items">
      <span><strong><${Rate} p=${step.step_conversion_rate} /></strong> ${t('funnels.went_on', { n })}</span>
      <span class="fn-drop"><strong><${Count} n=${left} k=${k} /></strong> ${t('funnels.dropped', { count: typeof left === 'number' ? left : 2 })}</span>
      ${step.median_seconds_from_previous !== null && step.median_seconds_from_previous !== undefined
        ? html`<span>${t('funnels.median')} <strong>${fmt.duration(step.median_seconds_from_previous)}</strong></span>`
        : null}
      ${canGo
        ? html`<a class="fn-where" href=${linkTo('journeys', { mode: 'paths_from', start: from, not })}
            title=${t('funnels.where_title', { from: prevName, to: name })} data-testid="funnel-where">${t('funnels.where')}</a>`
        : null}
    </span>
  </div>`
}

/** The steps as bars. `defs`: the API steps asked (for descriptions and links). */
function Bars({ steps, defs, k }) {
  return html`<ol class="fn-steps" data-testid="funnel-steps">
    ${steps.map((s, i) => {
      const width = s.conversion_rate === null || s.conversion_rate === undefined ? null : Math.max(0, Math.min(100, s.conversion_rate))
      return html`<li class="fn-step" key=${i}>
        ${i > 0 ? html`<${Between} step=${s} n=${i + 1} prevDef=${defs[i - 1]} def=${defs[i]} prevName=${steps[i - 1].name} name=${s.name} k=${k} />` : null}
        <div class="fn-step-head">
          <span class="fn-num" aria-hidden="true">${i + 1}</span>
          <span class="fn-name">
            <span class="sr-only">${t('funnels.step_n', { n: i + 1 })}: </span>
            <strong>${s.name}</strong>
            ${defs[i] ? html`<span class="fn-desc">${describe(defs[i])}</span>` : null}
          </span>
          <span class="fn-figs">
            <span class="fn-visitors"><strong><${Count} n=${s.visitors} k=${k} /></strong> ${t('funnels.visitors', { count: typeof s.visitors === 'number' ? s.visitors : 2 })}</span>
            ${i > 0 ? html`<span class="fn-rate"><${Rate} p=${s.conversion_rate} /> ${t('funnels.of_start')}</span>` : null}
          </span>
        </div>
        <div class=${width === null ? 'fn-track hidden' : 'fn-track'} aria-hidden="true">
          ${width === null ? null : html`<span class="fn-fill" style=${{ width: `${width}%` }}></span>`}
        </div>
      </li>`
    })}
  </ol>`
}

/** The breakdown as a table: one row per value, each step's visitors and the overall conversion. */
function BreakdownTable({ breakdown, steps, k }) {
  const dim = shortDim(breakdown.dimension)
  const rows = breakdown.results || []
  if (!rows.length) return html`<${Empty}>${t('funnels.breakdown_empty')}</${Empty}>`
  return html`<div class="fn-table-wrap" tabindex="0" role="region" aria-label=${t('funnels.table_label', { dim: t(`dim.${dim}`) })}>
    <table class="plain fn-table" data-testid="funnel-breakdown-table">
      <thead><tr>
        <th scope="col">${t(`dim.${dim}`)}</th>
        ${steps.map((s, i) => html`<th scope="col" class="num" title=${s.name}><span class="fn-th-num">${i + 1}.</span> ${s.name}</th>`)}
        <th scope="col" class="num">${t('funnels.overall')}</th>
      </tr></thead>
      <tbody>
        ${rows.map(
          (r) => html`<tr key=${r.value}>
            <th scope="row">${valueLabel(dim, r.value)}</th>
            ${r.steps.map((s) => html`<td class="num"><${Count} n=${s.visitors} k=${k} /></td>`)}
            <td class="num"><strong><${Rate} p=${r.steps[r.steps.length - 1]?.conversion_rate} /></strong></td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`
}

function stepsCsv(name, a, k) {
  const head = [t('funnels.csv.step'), t('funnels.csv.name'), t('funnels.csv.visitors'), t('funnels.csv.conversion_rate'), t('funnels.csv.step_conversion_rate'), t('funnels.csv.dropoff'), t('funnels.csv.median_seconds')]
  const rows = a.steps.map((s, i) => [i + 1, s.name, countText(s.visitors, k), s.conversion_rate, s.step_conversion_rate, countText(s.dropoff, k), s.median_seconds_from_previous])
  downloadCsv(`${slug(name)}-steps.csv`, head, rows)
}

function breakdownCsv(name, a, k) {
  const dim = shortDim(a.breakdown.dimension)
  const head = [t(`dim.${dim}`), ...a.steps.map((s, i) => `${i + 1}. ${s.name}`), t('funnels.csv.conversion_rate')]
  const rows = a.breakdown.results.map((r) => [r.value, ...r.steps.map((s) => countText(s.visitors, k)), r.steps[r.steps.length - 1]?.conversion_rate])
  downloadCsv(`${slug(name)}-${dim}.csv`, head, rows)
}

const slug = (s) => String(s || 'funnel').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'funnel'

/**
 * Asks the funnel API with `body` and shows the answer.
 * title: the panel title; name: for CSV file names; defs: the API steps asked;
 * by: the breakdown id ('none', a key of BREAKDOWNS or a visit dimension's short name); actions: extra header buttons;
 * stale: the figures are of an older version of the funnel (builder).
 */
export function FunnelAnswer({ body, title, name, defs, by, actions, stale, summary }) {
  const res = useApi((signal) => api.funnel(body, { signal }), [JSON.stringify(body)])
  const a = res.data
  const k = a?.meta?.min_group_size ?? 5
  const onBy = (v) => setParam('by', v, { replace: true })
  const steps = a?.steps || []
  let content
  if (res.error) content = html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
  else if (!a)
    content = html`<div><${Loading} lines=${4} /><p class="hint fn-wait">${t('funnels.computing')}</p></div>`
  else if (!steps.length || steps[0].visitors === 0)
    content = html`<${Empty}>${t('funnels.no_start')}</${Empty}>`
  else
    content = html`<div class=${res.loading ? 'stale' : ''} aria-busy=${res.loading ? 'true' : 'false'}>
      ${stale ? html`<p class="fn-outdated" role="status">${t('funnels.changed')}</p>` : null}
      <${Headline} steps=${steps} k=${k} />
      <${Bars} steps=${steps} defs=${defs} k=${k} />
    </div>`
  const windowNote = a?.meta?.window_seconds ? t('funnels.window_note', { window: secondsLabel(a.meta.window_seconds, fmt) }) : null
  return html`
    <${Panel} id="funnel" wide title=${title}
      tabs=${html`<div class="fn-head-tools">${actions}<${BreakdownSelect} value=${by} onChange=${onBy} /></div>`}
      footer=${html`<span class="note">${summary}</span>`}
      actions=${html`<button type="button" class="link small" onClick=${() => stepsCsv(name, a, k)} disabled=${!steps.length} data-testid="csv">${t('action.csv')}</button>`}>
      ${content}
    </${Panel}>
    ${by !== 'none' && a && !res.error && steps.length > 0 && steps[0].visitors !== 0
      ? html`<${Panel} id="funnel-breakdown" wide title=${breakdownTitle(by)}
          footer=${a.breakdown ? html`<${SuppressionNote} meta=${a.meta} />` : null}
          actions=${html`<button type="button" class="link small" onClick=${() => breakdownCsv(name, a, k)} disabled=${!a.breakdown?.results?.length} data-testid="csv-breakdown">${t('action.csv')}</button>`}>
          ${!a.breakdown || shortDim(a.breakdown.dimension) !== by
            ? html`<${Loading} />`
            : html`<div class=${res.loading ? 'stale' : ''}><${BreakdownTable} breakdown=${a.breakdown} steps=${steps} k=${k} /></div>`}
        </${Panel}>`
      : null}
    <${BasisNote} meta=${a?.meta} extra=${windowNote} />`
}

