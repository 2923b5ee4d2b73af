/* A dashboard card: a title, optional tabs, a body, and a footer for its notes and
   actions (CSV export, show all). */

import { html } from './html.js'

let seq = 0

/** Tabs as a row of toggle buttons (the panel's body is their shared tabpanel). */
export function Tabs({ tabs, value, onChange, label }) {
  return html`<div class="tabs" role="group" aria-label=${label}>
    ${tabs.map(
      ([id, text]) =>
        html`<button type="button" class=${id === value ? 'tab on' : 'tab'} aria-pressed=${id === value ? 'true' : 'false'}
          onClick=${() => onChange(id)}>${text}</button>`,
    )}
  </div>`
}

/** A card with a heading; `wide` spans the whole grid row. */
export function Panel({ title, tabs, actions, footer, children, wide, id, testid }) {
  const hid = `panel-${id || ++seq}`
  return html`<section class=${wide ? 'panel wide' : 'panel'} aria-labelledby=${hid} data-testid=${testid || id}>
    <header class="panel-head">
      <h2 id=${hid}>${title}</h2>
      ${tabs}
    </header>
    <div class="panel-body">${children}</div>
    ${footer || actions ? html`<footer class="panel-foot"><div class="panel-note">${footer}</div><div class="panel-actions">${actions}</div></footer>` : null}
  </section>`
}
