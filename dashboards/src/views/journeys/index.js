/* Journeys: what visitors do before reaching a goal, or after a start point (a page
   pattern, a content group, an event, a goal), explored column by column or drawn as a
   flow; and the flows around a page or group. Everything the view shows comes from
   the journeys API; the URL holds the choices (mode, goal, start, not, path, show). */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel, Tabs } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { BasisNote } from '../../components/notes.js'
import { downloadCsv } from '../../components/csv.js'
import { t, fmt } from '../../i18n/index.js'
import { valueLabel } from '../../i18n/values.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { route, base, navigate, setParam, linkTo } from '../../state/store.js'
import { defs } from '../../state/site.js'
import { canEditDefs } from '../../state/session.js'
import { MARKERS, parseStep, stepParam, apiStep, parsePath, stepOfNode, columnsOf, graphFromTree, graphFromFlows } from './model.js'
import { Explorer, itemLabel } from './explorer.js'
import { Sankey } from './sankey.js'
import { StartPicker } from './picker.js'

const MODES = ['paths_to', 'paths_from', 'flows']
const SHOWS = ['columns', 'sankey']
const STEPS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
const FLOW_STEPS = [1, 2, 3, 4, 5]
// Links thinner than this share (%) of the anchor's visitors are left out of the drawing.
const MIN_DRAWN = 1
const MIN_DRAWN_FLOWS = 2
const SHORT = 10

/**
 * Asks the journeys API. The answer keeps the mode it was asked for, so the previous
 * answer (shown while the next loads) is never drawn as the other mode's.
 */
async function ask(body, signal) {
  return { ...(await api.journeys(body, { signal })), askedMode: body.mode }
}

function defaultGoal(goals) {
  return goals.find((g) => /book|rendez|confirm/i.test(g.name))?.name || goals[0]?.name
}

/** A step in words: "the goal “Booked”", "the pages /medecins/**". */
function stepWords(step) {
  return t(`journeys.kind_words.${step.kind}`, { value: step.value })
}

export function Journeys() {
  const st = route.value
  const x = st.extra
  const { goals, groups, loaded } = defs.value
  const from = parseStep(x.start)
  const not = parseStep(x.not)
  const mode = MODES.includes(x.mode) ? x.mode : from ? 'paths_from' : goals.length || !loaded ? 'paths_to' : 'paths_from'
  const show = mode === 'flows' ? 'sankey' : SHOWS.includes(x.show) ? x.show : 'columns'
  const goal = goals.find((g) => g.name === x.goal)?.name || defaultGoal(goals)
  const anchor = from || (groups[0] ? { kind: 'group', value: groups[0].name } : { kind: 'page', value: '/' })
  const byPage = x.by === 'page'
  const stepsMax = mode === 'flows' ? 5 : 10
  const steps = Math.min(stepsMax, Math.max(1, parseInt(x.steps, 10) || (mode === 'flows' ? 2 : 6)))
  const path = parsePath(x.path)

  // The request: null while it cannot be asked yet (definitions loading, no goal).
  let body = null
  if (loaded) {
    const q = { ...base.value, ...(byPage ? { by: 'page' } : {}) }
    if (not) q.not_followed_by = apiStep(not)
    if (mode === 'paths_to' && goal) body = { ...q, mode, goal, max_steps: steps, tree: true, limit: 100 }
    if (mode === 'paths_from') body = { ...q, mode, from: apiStep(anchor), max_steps: steps, tree: true, limit: 100 }
    if (mode === 'flows') body = { ...q, mode, around: apiStep(anchor), max_steps: steps, steps_before: steps }
  }
  const res = useApi((signal) => (body ? ask(body, signal) : Promise.resolve(null)), [JSON.stringify(body)])

  const set = (extra, opts) => navigate({ extra }, opts)
  const noGoals = loaded && mode === 'paths_to' && !goals.length
  const modeTabs = html`<${Tabs} label=${t('journeys.mode_label')} value=${mode}
    tabs=${MODES.map((m) => [m, t(`journeys.mode.${m}`)])}
    onChange=${(m) => set({ mode: m, path: null, show: m === 'flows' ? null : x.show, steps: null })} />`

  return html`<div class="view journeys">
    <div class="jr-controls">
      ${modeTabs}
      <div class="jr-pick">
        ${mode === 'paths_to'
          ? goals.length
            ? html`<label class="inline">${t('journeys.goal')}
                <select value=${goal || ''} onChange=${(e) => set({ goal: e.target.value, path: null })} data-testid="jr-goal" translate="no">
                  ${goals.map((g) => html`<option value=${g.name}>${g.name}</option>`)}
                </select>
              </label>`
            : null
          : html`<${StartPicker} key=${stepParam(anchor)} step=${anchor} label=${mode === 'flows' ? t('journeys.around') : t('journeys.start')}
              onChange=${(s) => set({ start: stepParam(s), path: null })} />`}
        <label class="inline">${t('journeys.steps')}
          <select value=${steps} onChange=${(e) => set({ steps: +e.target.value === (mode === 'flows' ? 2 : 6) ? null : e.target.value })} data-testid="jr-steps">
            ${(mode === 'flows' ? FLOW_STEPS : STEPS).map((n) => html`<option value=${n}>${mode === 'flows' ? t('journeys.steps_around', { count: n }) : t('journeys.steps_n', { count: n })}</option>`)}
          </select>
        </label>
        <${Tabs} label=${t('journeys.by_label')} value=${byPage ? 'page' : 'group'}
          tabs=${[['group', t('journeys.by_group')], ['page', t('journeys.by_page')]]}
          onChange=${(v) => set({ by: v === 'page' ? 'page' : null, path: null })} />
      </div>
    </div>
    ${noGoals ? null : html`<p class="hint jr-lede">${mode === 'paths_to' ? t('journeys.lede.paths_to', { goal: goal || '' }) : t(`journeys.lede.${mode}`, { start: stepWords(anchor) })}</p>`}
    ${not
      ? html`<p class="jr-not" data-testid="jr-not">
          <span>${t('journeys.not_note', { step: stepWords(not) })}</span>
          <button type="button" class="chip-x" onClick=${() => setParam('not', null)} aria-label=${t('journeys.not_remove')} title=${t('journeys.not_remove')}>×</button>
        </p>`
      : null}
    ${noGoals
      ? html`<div class="panel callout" data-testid="jr-no-goal">
          <h2>${t('journeys.title.paths_to_none')}</h2>
          <p>${t('goals.none')} ${canEditDefs() ? html`<a href=${linkTo('settings', { section: 'goals' })}>${t('goals.define')}</a>` : null}</p>
          <p class="hint">${t('journeys.no_goal_hint')}</p>
        </div>`
      : html`<${Answer} res=${res} body=${body} mode=${mode} show=${show} goal=${goal} anchor=${anchor} not=${not} path=${path} steps=${steps} />`}
  </div>`
}

/** The answer under the controls: explorer or diagram, the list of paths, the notes. */
function Answer({ res, body, mode, show, goal, anchor, not, path, steps }) {
  const { goals, groups } = defs.value
  const a = res.data?.askedMode === mode ? res.data : null
  const tree = a && mode !== 'flows' ? a.tree : null
  const k = a?.meta?.min_group_size ?? 5
  const anchorLabel = mode === 'paths_to' ? goal : anchor.kind === 'page' ? anchor.value : valueLabel('journey', a?.tree?.node ?? anchor.value)
  const title = mode === 'paths_to' ? t('journeys.title.paths_to', { goal }) : t(`journeys.title.${mode}`, { start: stepWords(anchor) })
  const showTabs =
    mode === 'flows'
      ? null
      : html`<${Tabs} label=${t('journeys.show_label')} value=${show}
          tabs=${[['columns', t('journeys.show.columns')], ['sankey', t('journeys.show.sankey')]]}
          onChange=${(v) => setParam('show', v === 'columns' ? null : v)} />`

  let content
  let csv = null
  if (res.error) content = html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
  else if (!a || !body) content = html`<${Loading} lines=${5} />`
  else if (mode === 'flows') {
    const graph = graphFromFlows(a, MIN_DRAWN_FLOWS)
    if (!(a.links || []).length) content = html`<${Empty}>${t('journeys.empty.flows', { start: stepWords(anchor) })}</${Empty}>`
    else {
      content = html`<${Sankey} graph=${graph} groups=${groups} k=${k}
        caption=${t('journeys.sankey_caption.flows', { start: stepWords(anchor) })}
        canFocus=${(n) => !n.anchor && !!stepOfNode(n.name, groups, goals)}
        onFocus=${(n) => focusNode(n.name, 'flows')} />
        ${graph.hidden ? html`<p class="note">${t('journeys.hidden_links', { count: graph.hidden, share: fmt.percent(MIN_DRAWN_FLOWS) })}</p>` : null}`
      csv = () =>
        downloadCsv('journeys-flows.csv', linkHead(), graph.all.map((l) => linkRow(graph, l, k, 1)))
    }
  } else {
    const empty = !(a.paths || []).length && !(tree.children || []).length
    if (empty && a.visitors === null)
      content = html`<${Empty}>${mode === 'paths_to' ? t('journeys.empty.too_few_to', { k, goal }) : t('journeys.empty.too_few_from', { k })}</${Empty}>`
    else if (empty)
      content = html`<${Empty}>${mode === 'paths_to' ? t('journeys.empty.paths_to', { goal }) : t('journeys.empty.paths_from', { start: stepWords(anchor) })}</${Empty}>`
    else if (show === 'sankey') {
      const graph = graphFromTree(tree, mode, steps, MIN_DRAWN)
      content = html`<${Sankey} graph=${graph} groups=${groups} k=${k}
        caption=${mode === 'paths_to' ? t('journeys.sankey_caption.paths_to', { goal }) : t('journeys.sankey_caption.paths_from', { start: stepWords(anchor) })}
        canFocus=${(n) => !n.anchor && !!stepOfNode(n.name, groups, goals)}
        onFocus=${(n) => focusNode(n.name, mode)} />
        ${graph.hidden ? html`<p class="note">${t('journeys.hidden_links', { count: graph.hidden, share: fmt.percent(MIN_DRAWN) })}</p>` : null}`
      csv = () =>
        downloadCsv(`journeys-${mode}-flow.csv`, linkHead(), graph.all.map((l) => linkRow(graph, l, k, mode === 'paths_to' ? -1 : 1)))
    } else {
      const columns = columnsOf(tree, path, steps)
      content = html`<${Explorer} tree=${tree} path=${path} columns=${columns} mode=${mode} maxSteps=${steps} k=${k} anchorLabel=${anchorLabel}
        onPath=${(p) => setParam('path', p.length ? p.join('>') : null)} />
        ${path.length
          ? html`<p class="jr-path-line">
              <span class="note">${t('journeys.selected')}</span>
              ${' '}${chain(anchorLabel, columns, mode)}
              <button type="button" class="link small" onClick=${() => setParam('path', null)}>${t('journeys.clear_path')}</button>
            </p>`
          : null}`
      csv = () =>
        downloadCsv(`journeys-${mode}-columns.csv`,
          [t('journeys.csv.column'), t('journeys.csv.after'), t('journeys.csv.step'), t('metric.visitors'), t('journeys.csv.share_of_parent'), t('journeys.csv.share'), t('journeys.csv.median')],
          columns.flatMap((c) =>
            c.items.map((i) => [
              c.depth + 1,
              c.depth === 0 ? csvName(tree.node) : csvName(c.parent.node),
              i.node === null ? itemLabel(i, mode, steps) : csvName(i.node),
              csvCount(i.visitors, k),
              i.share_of_parent ?? (c.depth === 0 ? i.share : null) ?? '',
              i.share ?? '',
              i.median_seconds ?? '',
            ]),
          ))
    }
  }
  const basisExtra = a ? html`<span data-testid="jr-rule">${rule(a, k, mode)}</span>` : null
  return html`
    <${Panel} id="journeys" wide title=${title} tabs=${showTabs}
      actions=${html`<button type="button" class="link small" onClick=${() => csv && csv()} disabled=${!csv} data-testid="csv">${t('action.csv')}</button>`}>
      <div class=${res.loading && a ? 'stale' : ''}>${content}</div>
    </${Panel}>
    ${mode !== 'flows' && a && !res.error && (a.paths || []).length ? html`<${PathList} answer=${a} mode=${mode} k=${k} loading=${res.loading} />` : null}
    ${a && !res.error ? html`<${BasisNote} meta=${a.meta} extra=${basisExtra} />` : null}`
}

/** The selected path in reading order (earliest step first): `A → B → Booked`. */
function chain(anchorLabel, columns, mode) {
  const picked = columns.filter((c) => c.selected !== undefined).map((c) => valueLabel('journey', c.selected))
  const steps = mode === 'paths_to' ? [...picked.reverse(), anchorLabel] : [anchorLabel, ...picked]
  return steps.join(' → ')
}

/** The journeys rule in words, with how many visitors' paths are not shown. */
function rule(a, k, mode) {
  const n = a.visitors
  let s = t(`journeys.rule.${mode === 'flows' ? 'flows' : 'paths'}`, { k })
  if (mode !== 'flows') s += ' ' + (n === null || n === undefined ? t('journeys.rule.shown_few', { k }) : t('journeys.rule.shown', { count: n }))
  const ns = a.meta?.not_shown_visitors
  if (ns !== undefined) s += ' ' + (ns === null ? t('journeys.rule.not_shown_few', { k }) : ns ? t('journeys.rule.not_shown', { count: ns }) : '')
  return s.trim()
}

const linkHead = () => [t('journeys.csv.from_step'), t('journeys.link_from'), t('journeys.csv.to_step'), t('journeys.link_to'), t('metric.visitors')]
// A link's row; node ids are `step:name` (levels from the anchor, counted backwards before a goal).
// (in words: a spreadsheet would take "-2" for a formula, and csv.js quotes it).
function stepNo(id, sign) {
  const n = sign * +id.slice(0, id.indexOf(':')) || 0
  return n < 0 ? t('journeys.csv.pos_before', { count: -n }) : n > 0 ? t('journeys.csv.pos_after', { count: n }) : t('journeys.csv.pos_anchor')
}
const linkRow = (graph, l, k, sign) => [stepNo(l.source, sign), csvName(graph.nodeName(l.source)), stepNo(l.target, sign), csvName(graph.nodeName(l.target)), csvCount(l.visitors, k)]
const csvName = (name) => (name === null || name === undefined ? '' : valueLabel('journey', name))
const csvCount = (v, k) => (v === null || v === undefined ? `<${k}` : v)

/** Makes a node of a diagram the view's anchor (flows around it before a goal). */
function focusNode(name, mode) {
  const { groups, goals } = defs.value
  const step = stepOfNode(name, groups, goals)
  if (!step) return
  navigate({ extra: { mode: mode === 'paths_to' ? 'flows' : mode, start: stepParam(step), path: null, not: null, steps: null } })
}

/** The most common journeys as a list, with their visitors, share and median time. */
function PathList({ answer, mode, k, loading }) {
  const [all, setAll] = useState(false)
  const paths = answer.paths || []
  const listed = all ? paths : paths.slice(0, SHORT)
  const exportCsv = () =>
    downloadCsv(`journeys-${mode}-paths.csv`, [t('journeys.csv.path'), t('metric.visitors'), t('journeys.csv.share'), t('journeys.csv.median')],
      paths.map((p) => [p.path.map(csvName).join(' > '), csvCount(p.visitors, k), p.share ?? '', p.median_seconds ?? '']))
  return html`<${Panel} id="journeys-paths" wide title=${t('journeys.paths_title')}
    footer=${html`<span class="note">${mode === 'paths_to' ? t('journeys.paths_note.paths_to') : t('journeys.paths_note.paths_from')}</span>`}
    actions=${html`
      ${paths.length > SHORT ? html`<button type="button" class="link small" onClick=${() => setAll(!all)}>${all ? t('action.show_less') : t('action.show_all')}</button>` : null}
      <button type="button" class="link small" onClick=${exportCsv} data-testid="csv-paths">${t('action.csv')}</button>`}>
    <div class=${loading ? 'stale' : ''}>
      <table class="plain jr-paths">
        <caption class="sr-only">${t('journeys.paths_title')}</caption>
        <thead><tr>
          <th scope="col">${t('journeys.csv.path')}</th>
          <th scope="col" class="num">${t('metric.visitors')}</th>
          <th scope="col" class="num">${t('journeys.share')}</th>
          <th scope="col" class="num jr-med">${t('journeys.median')}</th>
        </tr></thead>
        <tbody>
          ${listed.map(
            (p, i) => html`<tr key=${i}>
              <td><ol class="jr-steps" aria-label=${t('journeys.path_aria', { count: p.path.length })}>
                ${p.path.map((s, j) => html`<li class=${MARKERS.includes(s) ? 'marker' : ''}>${j ? html`<span class="jr-sep" aria-hidden="true">→</span>` : null}<span class="jr-step" translate=${MARKERS.includes(s) ? undefined : 'no'}>${valueLabel('journey', s)}</span></li>`)}
              </ol></td>
              <td class="num">${p.visitors === null || p.visitors === undefined ? t('journeys.fewer_than', { k }) : fmt.number(p.visitors)}</td>
              <td class="num">${fmt.percent(p.share)}</td>
              <td class="num jr-med">${fmt.duration(p.median_seconds)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </${Panel}>`
}
