/* A copy-to-clipboard button that says whether it worked, for screen readers too. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from './html.js'
import { t } from '../i18n/index.js'

/** A copy button; `what` completes its accessible name ("Copy the snippet"). */
export function CopyButton({ text, what, primary }) {
  const [state, setState] = useState('')
  const timer = useRef()
  useEffect(() => () => clearTimeout(timer.current), [])
  const copy = async () => {
    clearTimeout(timer.current)
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState('failed')
    }
    timer.current = setTimeout(() => setState(''), 4000)
  }
  return html`<span class="copy">
    <button type="button" class=${primary ? 'primary small' : 'small'} onClick=${copy}>
      ${state === 'copied' ? t('settings.copied') : t('settings.copy')}${what ? html`<span class="sr-only"> ${what}</span>` : null}
    </button>
    <span class=${state === 'failed' ? 'hint warn' : 'sr-only'} role="status" aria-live="polite">
      ${state === 'copied' ? t('settings.copied_sr') : state === 'failed' ? t('settings.copy_failed') : ''}
    </span>
  </span>`
}
