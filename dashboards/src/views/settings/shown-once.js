/* A secret shown once (a new API key, an invitation or a shared link): selected on
   focus, with a copy button and what to do with it. It lives in its section's state
   only: leaving the section forgets it. */

import { useEffect, useRef } from 'preact/hooks'
import { html } from '../../components/html.js'
import { CopyButton } from '../../components/copy.js'
import { t } from '../../i18n/index.js'

export function ShownOnce({ value, label, copyWhat, warnTitle, warn, children, onDone, testid }) {
  const ref = useRef()
  useEffect(() => {
    ref.current?.focus()
  }, [value])
  return html`<div class="new-key" data-testid=${testid}>
    <p class="new-key-warn" role="alert"><strong>${warnTitle}</strong> ${warn}</p>
    <label for=${testid + '-value'}>${label}</label>
    <div class="key-row">
      <input id=${testid + '-value'} ref=${ref} class="key-value" readonly value=${value} onFocus=${(e) => e.target.select()} spellcheck=${false} data-testid=${testid + '-value'} />
      <${CopyButton} text=${value} what=${copyWhat} primary />
    </div>
    ${children}
    <button type="button" class="ghost small" onClick=${onDone}>${t('settings.keys.done')}</button>
  </div>`
}
