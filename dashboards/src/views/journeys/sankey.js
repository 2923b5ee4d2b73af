/* The flow diagram: d3-sankey lays out the graph (loaded with import() so the first
   view's bundle goes without it), Preact draws it as SVG. Nodes that can become the
   new start point are buttons; a table under the diagram gives every link in words. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Loading, ErrorNote } from '../../components/states.js'
import { t, fmt } from '../../i18n/index.js'
import { valueLabel } from '../../i18n/values.js'
import { MARKERS } from './model.js'

let lib = null
function loadLib() {
  // A chunk of its own (sankey-lib-<hash>.js), fetched the first time a diagram is shown.
  lib ??= import('./sankey-lib.js')
  return lib
}

const NODE_W = 12
const PAD_TOP = 8

/** The kind of a node, for its colour. */
function tone(n, groups) {
  if (n.anchor) return 'anchor'
  if (MARKERS.includes(n.name)) return 'marker'
  if (groups.some((g) => g.name === n.name)) return 'group'
  if (n.name.startsWith('/')) return 'page'
  return 'goal'
}

/**
 * graph: {nodes: [{id, name, col, anchor, visitors}], links: [{source, target, visitors}],
 * all, hidden, columns, nodeName}; groups colour the nodes; onFocus(name) makes a node the start point (or null
 * when a node cannot be one); caption: what the diagram shows, in words.
 */
export function Sankey({ graph, groups, canFocus, onFocus, caption, k }) {
  const canFocusHint = t('journeys.focus_hint')
  const [mod, setMod] = useState(null)
  const [err, setErr] = useState(null)
  const [hover, setHover] = useState(null)
  const box = useRef()
  const [width, setWidth] = useState(0)
  useEffect(() => {
    let live = true
    loadLib().then(
      (m) => live && setMod({ sankey: m.sankey, link: m.sankeyLinkHorizontal }),
      (e) => live && setErr(e),
    )
    return () => {
      live = false
    }
  }, [])
  useEffect(() => {
    // A diagram wider than the screen opens on its anchor.
    const el = box.current
    const a = el?.querySelector('.jr-node.anchor')
    if (!a || el.scrollWidth <= el.clientWidth) return
    el.scrollLeft = Math.max(0, a.getBBox().x - el.clientWidth / 2)
  }, [mod, width, graph])
  useEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => setWidth(el.clientWidth))
    ro.observe(el)
    setWidth(el.clientWidth)
    return () => ro.disconnect()
  }, [mod])
  if (err) return html`<${ErrorNote} error=${{ status: 0, message: String(err) }} />`
  const label = (name) => valueLabel('journey', name)
  const table = html`<details class="jr-table">
    <summary>${t('journeys.sankey_table')}</summary>
    <table class="plain" data-testid="sankey-table">
      <caption class="sr-only">${caption}</caption>
      <thead><tr><th scope="col">${t('journeys.link_from')}</th><th scope="col">${t('journeys.link_to')}</th><th scope="col" class="num">${t('metric.visitors')}</th></tr></thead>
      <tbody>
        ${[...graph.all]
          .sort((a, b) => (b.visitors ?? -1) - (a.visitors ?? -1))
          .map(
            (l) => html`<tr>
              <td>${label(graph.nodeName(l.source))}</td>
              <td>${label(graph.nodeName(l.target))}</td>
              <td class="num">${l.visitors === null ? t('journeys.fewer_than', { k }) : fmt.number(l.visitors)}</td>
            </tr>`,
          )}
      </tbody>
    </table>
  </details>`
  if (!mod) return html`<div ref=${box}><${Loading} lines=${4} /></div>`

  // Layout: columns spread over the width (at least 160 px each, so a phone scrolls);
  // labels sit right of their node, the last column's in a margin kept for them.
  const cols = Math.max(2, 1 + Math.max(0, ...graph.nodes.map((n) => n.col)))
  const w = Math.max(width || 0, cols * 160)
  const lastText = (n) => label(n.name).length + (n.visitors !== null && n.visitors !== undefined ? fmt.number(n.visitors).length + 1 : 0)
  const margin = Math.min(170, 16 + 7.2 * Math.max(4, ...graph.nodes.filter((n) => n.col === cols - 1).map(lastText)))
  const perCol = new Map()
  for (const n of graph.nodes) perCol.set(n.col, (perCol.get(n.col) || 0) + 1)
  const busiest = Math.max(1, ...perCol.values())
  const h = Math.max(300, Math.min(1400, busiest * 46 + 40))
  const labelRoom = 8
  const nodes = graph.nodes.map((n) => ({ ...n }))
  const links = graph.links.map((l) => ({ source: l.source, target: l.target, value: l.visitors, visitors: l.visitors }))
  let layout
  try {
    layout = mod
      .sankey()
      .nodeId((d) => d.id)
      .nodeWidth(NODE_W)
      .nodePadding(Math.max(10, Math.min(22, (h - 40) / busiest / 3)))
      .nodeAlign((d) => d.col)
      .nodeSort((a, b) => (MARKERS.includes(a.name) - MARKERS.includes(b.name)) || b.value - a.value)
      .extent([
        [1, PAD_TOP],
        [w - margin, h - PAD_TOP],
      ])({ nodes, links })
  } catch (e) {
    return html`<${ErrorNote} error=${{ status: 0, message: String(e) }} />`
  }
  // d3 counts columns from the links; place each node in its own step's column.
  const kx = (w - margin - 1 - NODE_W) / (cols - 1)
  const fit = Math.max(8, Math.floor((kx - NODE_W - 2 * labelRoom) / 7.2))
  const fitLast = Math.max(8, Math.floor((margin - labelRoom) / 7.2))
  const short = (s, room) => (s.length > room ? s.slice(0, room - 1) + '…' : s)
  for (const n of layout.nodes) {
    n.x0 = 1 + n.col * kx
    n.x1 = n.x0 + NODE_W
  }
  const path = mod.link()
  const lit = (l) => hover && (l.source.id === hover || l.target.id === hover)
  return html`<div class="jr-sankey-wrap">
    <div class="jr-sankey-scroll" ref=${box}>
      <svg class="jr-sankey" width=${w} height=${h} viewBox=${`0 0 ${w} ${h}`} role="group" aria-label=${caption} data-testid="sankey">
        <g class="jr-links" aria-hidden="true">
          ${layout.links.map(
            (l) => html`<path d=${path(l)} class=${lit(l) ? 'jr-link on' : hover ? 'jr-link dim' : 'jr-link'} style=${{ strokeWidth: Math.max(1, l.width) }}>
              <title>${label(l.source.name)} → ${label(l.target.name)} : ${fmt.number(l.visitors)}</title>
            </path>`,
          )}
        </g>
        ${layout.nodes.map((n) => {
          const name = label(n.name)
          const focusable = canFocus(n)
          const room = n.col === cols - 1 ? fitLast : fit
          const tx = n.x1 + labelRoom
          const ty = (n.y0 + n.y1) / 2
          const count = n.visitors !== null && n.visitors !== undefined ? fmt.number(n.visitors) : null
          const tall = n.y1 - n.y0
          const text = html`<text x=${tx} y=${ty} dy="0.35em" class="jr-node-label" aria-hidden="true">
            <tspan class="jr-node-name" translate=${MARKERS.includes(n.name) ? undefined : 'no'}>${short(name, room - (count ? count.length + 1 : 0))}</tspan>${count ? html`<tspan class="jr-node-count" dx="5">${count}</tspan>` : null}
          </text>`
          const rect = html`<rect x=${n.x0} y=${n.y0} width=${n.x1 - n.x0} height=${Math.max(2, tall)} class=${'jr-node ' + tone(n, groups)} rx="2" />`
          if (!focusable)
            return html`<g class="jr-node-g" onMouseEnter=${() => setHover(n.id)} onMouseLeave=${() => setHover(null)}>
              <title>${name}</title>${rect}${text}</g>`
          // The button holds no text of its own (its name says it all); its label beside it
          // answers the pointer too.
          return html`<g class=${hover === n.id ? 'jr-node-g focusable on' : 'jr-node-g focusable'}
            onMouseEnter=${() => setHover(n.id)} onMouseLeave=${() => setHover(null)}>
            <g class="jr-node-btn" role="button" tabindex="0" data-node=${n.name}
              aria-label=${count ? t('journeys.focus_on_n', { name, count: n.visitors }) : t('journeys.focus_on', { name })}
              onFocus=${() => setHover(n.id)} onBlur=${() => setHover(null)}
              onClick=${() => onFocus(n)}
              onKeyDown=${(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault()
                  onFocus(n)
                }
              }}>
              <rect x=${n.x0 - 4} y=${n.y0 - 2} width=${n.x1 - n.x0 + 8} height=${Math.max(6, tall + 4)} class="jr-hit" />
              ${rect}
            </g>
            <g class="jr-node-text" onClick=${() => onFocus(n)}>${text}</g>
          </g>`
        })}
      </svg>
    </div>
    <p class="jr-legend" aria-hidden="true">
      ${['group', 'page', 'goal', 'marker'].map((k) => html`<span><i class=${'jr-key ' + k}></i>${t(`journeys.legend.${k}`)}</span>`)}
      <span class="hint">${canFocusHint}</span>
    </p>
    ${table}
  </div>`
}
