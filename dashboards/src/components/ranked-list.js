/* A ranked list with bars: the shape of every breakdown panel. A row's label is a
   button when choosing it means something (filtering the dashboard by it). */

import { html } from './html.js'

/**
 * rows: [{id, label, bar, cells: [text], title?, select?: () => void}]
 * columns: header texts of the cells; labelHeader: the first column's header.
 */
export function RankedList({ rows, columns, labelHeader, caption, selectTitle }) {
  const max = Math.max(1, ...rows.map((r) => r.bar || 0))
  return html`<table class="ranked">
    ${caption ? html`<caption class="sr-only">${caption}</caption>` : null}
    <thead><tr><th scope="col">${labelHeader}</th>${columns.map((c) => html`<th scope="col" class="num">${c}</th>`)}</tr></thead>
    <tbody>
      ${rows.map(
        (r) => html`<tr key=${r.id} data-value=${r.id}>
          <td class="label-cell">
            <span class="bar" style=${{ width: `${Math.max(0, Math.min(100, ((r.bar || 0) / max) * 100))}%` }} aria-hidden="true"></span>
            ${r.select
              ? html`<button type="button" class="row-label" title=${selectTitle ? selectTitle(r) : r.label} onClick=${r.select}>${r.label}</button>`
              : html`<span class="row-label" title=${r.title || r.label}>${r.label}</span>`}
          </td>
          ${r.cells.map((c) => html`<td class="num">${c}</td>`)}
        </tr>`,
      )}
    </tbody>
  </table>`
}
