import { html } from '../../components/html.js'
import { t } from '../../i18n/index.js'

export function Journeys() {
  return html`<div class="view"><p>${t('state.loading')}</p></div>`
}
