import { html } from '../../components/html.js'
import { t } from '../../i18n/index.js'

export function Funnels() {
  return html`<div class="view"><p>${t('state.loading')}</p></div>`
}
