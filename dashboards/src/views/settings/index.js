import { html } from '../../components/html.js'
import { Snippet } from './snippet.js'
import { route } from '../../state/store.js'

export function Settings() {
  return html`<div class="view"><${Snippet} domain=${route.value.site} /></div>`
}
