/* The time-series chart: uPlot (small, fast, canvas) draws the period and its
   comparison by bucket position; a tooltip names both buckets; clicking a point
   zooms into it. A hidden table carries the same figures for screen readers. */

import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { html } from './html.js'
import { t } from '../i18n/index.js'

/**
 * labels: bucket labels of the period; values / compare: numbers (null for none);
 * compareLabels: the comparison's bucket labels; format: value -> text;
 * bucket: label -> text; onPick(i): a point was clicked.
 */
export function Chart({ labels, values, compare, compareLabels, format, bucket, onPick, title }) {
  const box = useRef()
  const tip = useRef()
  const plot = useRef()
  useEffect(() => {
    const el = box.current
    if (!el) return
    const styles = getComputedStyle(document.documentElement)
    const accent = styles.getPropertyValue('--accent').trim() || '#0f766e'
    const muted = styles.getPropertyValue('--muted').trim() || '#5f7281'
    const x = labels.map((_, i) => i)
    const data = [x, values]
    const series = [{}, { label: title, stroke: accent, width: 2, fill: accent + '1f', points: { size: 5 } }]
    if (compare) {
      data.push(compare)
      series.push({ label: t('chart.comparison'), stroke: muted, width: 1.5, dash: [6, 4], points: { show: false } })
    }
    const every = Math.max(1, Math.ceil(labels.length / Math.max(2, Math.floor(el.clientWidth / 90))))
    const opts = {
      width: el.clientWidth,
      height: el.clientWidth < 500 ? 200 : 260,
      legend: { show: false },
      // Room on the right for the last bucket's label.
      padding: [12, 28, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        {
          stroke: muted,
          grid: { show: false },
          splits: () => x.filter((i) => i % every === 0),
          values: (u, splits) => splits.map((i) => (labels[i] === undefined ? '' : bucket(labels[i]))),
          size: 36,
        },
        { stroke: muted, grid: { stroke: '#e8eef1' }, values: (u, splits) => splits.map(format), size: 64 },
      ],
      series,
      hooks: {
        setCursor: [
          (u) => {
            const i = u.cursor.idx
            const tipEl = tip.current
            if (!tipEl) return
            if (i === null || i === undefined || labels[i] === undefined) {
              tipEl.hidden = true
              return
            }
            tipEl.hidden = false
            tipEl.replaceChildren()
            const line = (cls, a, b) => {
              const d = document.createElement('div')
              d.className = cls
              d.textContent = `${a}: ${b}`
              tipEl.append(d)
            }
            line('tip-main', bucket(labels[i]), format(values[i]))
            if (compare && compareLabels?.[i] !== undefined) line('tip-cmp', bucket(compareLabels[i]), format(compare[i]))
            const left = Math.min(u.valToPos(i, 'x'), u.over.clientWidth - 160)
            tipEl.style.left = `${Math.max(0, left) + 70}px`
          },
        ],
      },
    }
    plot.current = new uPlot(opts, data, el)
    const over = plot.current.over
    const click = () => {
      const i = plot.current?.cursor.idx
      if (i !== null && i !== undefined && onPick) onPick(i)
    }
    over.addEventListener('click', click)
    over.style.cursor = onPick ? 'pointer' : ''
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: el.clientWidth < 500 ? 200 : 260 }))
    ro.observe(el)
    return () => {
      ro.disconnect()
      over.removeEventListener('click', click)
      plot.current?.destroy()
      plot.current = null
    }
  }, [labels, values, compare, compareLabels, format, bucket, title])
  return html`<div class="chart-wrap">
    <div ref=${box} class="chart" role="img" aria-label=${t('chart.aria', { metric: title })}></div>
    <div ref=${tip} class="chart-tip" hidden></div>
    <table class="sr-only">
      <caption>${title}</caption>
      <tbody>${labels.map((l, i) => html`<tr><th scope="row">${bucket(l)}</th><td>${format(values[i])}</td>${compare ? html`<td>${format(compare[i])}</td>` : null}</tr>`)}</tbody>
    </table>
    ${onPick
      ? html`<div class="chart-keys" role="group" aria-label=${t('chart.zoom_group')}>
          <label class="inline small">${t('chart.zoom_to')}
            <select onChange=${(e) => e.target.value !== '' && onPick(+e.target.value)}>
              <option value="">—</option>
              ${labels.map((l, i) => html`<option value=${i}>${bucket(l)}</option>`)}
            </select>
          </label>
        </div>`
      : null}
  </div>`
}
