/* The explorer: the anchor, then one column per step. The first column lists the
   next steps (or, before a goal, the steps just before it) with visitors and share;
   choosing an item opens the next column from it. The selected items are the URL's
   `path`, so a shared link opens the same columns. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { t, fmt } from '../../i18n/index.js'
import { valueLabel } from '../../i18n/values.js'
import { opens, MARKERS } from './model.js'

// Named steps a column shows before "show more".
const SHORT = 12

/** The label of an item: a step's name, or what a branch's end means. */
export function itemLabel(item, mode, maxSteps) {
  if (item.node === null) {
    if (item.end === 'cut') return mode === 'paths_to' ? t('journeys.end_cut.before', { n: maxSteps }) : t('journeys.end_cut.after', { n: maxSteps })
    if (item.end === 'began' || (mode === 'paths_to' && !item.end)) return t('journeys.end_began')
    return t('journeys.end_exit')
  }
  return valueLabel('journey', item.node)
}

/** A column's heading: what its items are, relative to the item before. */
export function columnTitle(col, mode, anchorLabel) {
  const before = mode === 'paths_to'
  if (col.depth === 0) return before ? t('journeys.col_before_first', { name: anchorLabel }) : t('journeys.col_after_first', { name: anchorLabel })
  const prev = valueLabel('journey', col.parent.node)
  return before ? t('journeys.col_before', { n: col.depth + 1, name: prev }) : t('journeys.col_after', { n: col.depth + 1, name: prev })
}

function Count({ item, k }) {
  if (item.absent) return html`<span class="jr-count muted">${t('journeys.none')}</span>`
  if (item.visitors === null || item.visitors === undefined) return html`<span class="jr-count">${t('journeys.fewer_than_visitors', { k })}</span>`
  return html`<span class="jr-count"><span aria-hidden="true">${fmt.number(item.visitors)}</span><span class="sr-only">${t('journeys.visitors_n', { count: item.visitors })}</span></span>`
}

function Item({ item, col, mode, maxSteps, k, selected, current, onPick, parentLabel }) {
  const label = itemLabel(item, mode, maxSteps)
  const sop = item.share_of_parent ?? (col.depth === 0 ? item.share : null)
  const bar = Math.max(0, Math.min(100, sop ?? 0))
  const cls = ['jr-item', item.node === null ? 'end' : '', item.node === '(other)' ? 'other' : '', item.absent ? 'absent' : '', selected ? 'on' : ''].join(' ')
  const body = html`
    <span class="jr-bar" style=${{ width: `${bar}%` }} aria-hidden="true"></span>
    <span class="jr-name" title=${label} translate=${item.node !== null && !MARKERS.includes(item.node) ? 'no' : undefined}>${label}</span>
    <span class="jr-figs">
      <${Count} item=${item} k=${k} />
      ${item.absent
        ? null
        : html`<span class="jr-share" data-share-of-parent=${sop ?? ''} data-share=${item.share ?? ''}>${fmt.percent(sop)}<span class="sr-only"> ${t('journeys.share_sr', { name: parentLabel })}</span></span>`}
    </span>
    ${col.depth > 0 && !item.absent && item.share !== null && item.share !== undefined
      ? html`<span class="jr-sub">${t('journeys.share_of_all', { share: fmt.percent(item.share) })}</span>`
      : null}`
  const attrs = { 'data-node': item.node === null ? '' : item.node, 'data-end': item.end || '', 'data-visitors': item.visitors ?? '' }
  if (!opens(item)) return html`<li><div class=${cls} ...${attrs}>${body}</div></li>`
  return html`<li>
    <button type="button" class=${cls} aria-pressed=${selected ? 'true' : 'false'} aria-current=${current ? 'true' : undefined}
      onClick=${() => onPick(col.depth, selected ? null : item.node)} ...${attrs}>
      ${body}
      <span class="jr-chev" aria-hidden="true">›</span>
    </button>
  </li>`
}

/**
 * tree: the API's (or the built) tree; path: selected names; onPath(list) changes them.
 */
export function Explorer({ tree, path, columns, mode, maxSteps, k, anchorLabel, onPath }) {
  const scroller = useRef()
  const [open, setOpen] = useState({})
  const depth = columns.length
  useEffect(() => {
    // Bring the newest column into view (a phone shows about one at a time).
    const el = scroller.current
    if (!el) return
    const last = el.querySelector('.jr-col:last-child')
    if (!last) return
    const over = last.getBoundingClientRect().right - el.getBoundingClientRect().right
    if (over > 0) {
      const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches
      el.scrollTo({ left: el.scrollLeft + over + 2, behavior: smooth ? 'smooth' : 'auto' })
    }
  }, [depth, path.join('>')])
  const pick = (i, name) => onPath(name === null ? path.slice(0, i) : [...path.slice(0, i), name])
  const before = mode === 'paths_to'
  const lastCol = columns[columns.length - 1]
  return html`<div class="jr-explorer">
    <p class="sr-only" aria-live="polite">${lastCol ? columnTitle(lastCol, mode, anchorLabel) : ''}</p>
    <div class="jr-cols" ref=${scroller} data-testid="explorer">
      <div class="jr-anchor">
        <span class="jr-anchor-kind">${before ? t('journeys.anchor_goal') : t('journeys.anchor_start')}</span>
        <strong class="jr-anchor-name" translate="no">${anchorLabel}</strong>
        <span class="jr-anchor-count">${tree.visitors === null || tree.visitors === undefined ? t('journeys.fewer_than_visitors', { k }) : t('journeys.visitors_n', { count: tree.visitors })}</span>
        <span class="jr-anchor-hint">${before ? t('journeys.anchor_goal_hint') : t('journeys.anchor_start_hint')}</span>
      </div>
      ${columns.map((col) => {
        const hid = `jr-col-${col.depth}`
        const parentLabel = col.depth === 0 ? anchorLabel : valueLabel('journey', col.parent.node)
        const named = col.items.filter((c) => c.node !== null && c.node !== '(other)')
        const long = named.length > SHORT + 2 && !open[col.depth]
        // A long column shows its first steps (and the selected one); the rest on demand.
        const items = long ? col.items.filter((c) => !named.includes(c) || named.indexOf(c) < SHORT || c.node === col.selected) : [...col.items]
        // Every column says whether steps were pooled and where journeys ended, even when none were.
        if (!items.some((c) => c.node === '(other)')) items.splice(items.findIndex((c) => c.node === null) >= 0 ? items.findIndex((c) => c.node === null) : items.length, 0, { node: '(other)', absent: true })
        if (!items.some((c) => c.node === null)) items.push({ node: null, absent: true })
        return html`<section class="jr-col" aria-labelledby=${hid} data-depth=${col.depth}>
          <h3 id=${hid} class="jr-col-title">
            <span class="jr-col-n">${before ? t('journeys.col_n_before', { n: col.depth + 1 }) : t('journeys.col_n_after', { n: col.depth + 1 })}</span>
            <span>${columnTitle(col, mode, anchorLabel)}</span>
          </h3>
          <p class="jr-col-legend" aria-hidden="true">${t('journeys.col_legend_visitors')} · ${t('journeys.col_legend_share', { name: parentLabel })}</p>
          <ul class="jr-items">
            ${items.map((item) => {
              const selected = item.node !== null && !item.absent && item.node === col.selected
              const current = selected && col.depth === path.length - 1
              return html`<${Item} key=${(item.node ?? '∅' + (item.end || '')) + (item.absent ? '-' : '')} item=${item} col=${col} mode=${mode} maxSteps=${maxSteps} k=${k}
                selected=${selected} current=${current} onPick=${pick} parentLabel=${parentLabel} />`
            })}
          </ul>
          ${long
            ? html`<button type="button" class="link small jr-more" onClick=${() => setOpen({ ...open, [col.depth]: true })}>${t('journeys.more_steps', { count: named.length - SHORT })}</button>`
            : null}
        </section>`
      })}
    </div>
  </div>`
}
