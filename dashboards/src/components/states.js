/* Loading, error and empty states, the same in every view. */

import { html } from './html.js'
import { t } from '../i18n/index.js'

/** A placeholder while an answer loads. */
export function Loading({ lines = 3 }) {
  return html`<div class="loading" role="status" aria-live="polite">
    <span class="sr-only">${t('state.loading')}</span>
    ${Array.from({ length: lines }, (_, i) => html`<div class="skeleton" style=${{ width: `${90 - i * 17}%` }}></div>`)}
  </div>`
}

function headline(e) {
  if (!e) return ''
  if (e.status === 401) return t('error.unauthorized')
  if (e.status === 403) return t('error.forbidden')
  if (e.status === 404) return t('error.not_found')
  if (e.status === 0) return t('error.network')
  if (e.status === 400) return t('error.bad_request')
  return t('error.server')
}

/** What went wrong, in the reader's language, with the API's own words underneath. */
export function ErrorNote({ error, onRetry }) {
  return html`<div class="error-note" role="alert">
    <strong>${headline(error)}</strong>
    ${error?.message && error.status !== 0
      ? html`<details><summary>${t('error.details')}</summary><code>${error.message}</code></details>`
      : null}
    ${onRetry ? html`<button type="button" class="link" onClick=${onRetry}>${t('action.retry')}</button>` : null}
  </div>`
}

/** An empty answer, saying what to do about it. */
export function Empty({ children }) {
  return html`<div class="empty">${children}</div>`
}
