/* Changing the password: the current one, the new one twice. A chunk of its own,
   loaded when the account menu asks for it. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from './html.js'
import { ErrorNote } from './states.js'
import { t } from '../i18n/index.js'
import { api } from '../api/client.js'
import { MIN_PASSWORD } from '../state/session.js'

export function PasswordDialog({ onClose }) {
  const ref = useRef()
  const [f, setF] = useState({ current: '', next: '', again: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const [problem, setProblem] = useState('')
  const [done, setDone] = useState(false)
  useEffect(() => {
    ref.current?.showModal?.()
  }, [])
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value })
  const submit = async (e) => {
    e.preventDefault()
    if (done) return ref.current?.close()
    if (f.next.length < MIN_PASSWORD) return setProblem(t('auth.password_short', { min: MIN_PASSWORD }))
    if (f.next !== f.again) return setProblem(t('auth.password_mismatch'))
    setProblem('')
    setBusy(true)
    setError(null)
    try {
      await api.auth.password(f.current, f.next)
      setDone(true)
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  return html`<dialog ref=${ref} class="dialog" onClose=${onClose} aria-labelledby="pw-title" data-testid="password-dialog">
    <form onSubmit=${submit}>
      <h2 id="pw-title">${t('account.password_title')}</h2>
      ${done
        ? html`<p role="status">${t('account.password_done')}</p>`
        : html`<label>${t('account.current')}<input type="password" autocomplete="current-password" value=${f.current} onInput=${set('current')} required data-testid="pw-current" /></label>
          <label>${t('account.new')}<input type="password" autocomplete="new-password" minlength=${MIN_PASSWORD} value=${f.next} onInput=${set('next')} required aria-describedby="pw-hint" data-testid="pw-new" />
            <small class="hint" id="pw-hint">${t('auth.password_rule', { min: MIN_PASSWORD })}</small></label>
          <label>${t('account.again')}<input type="password" autocomplete="new-password" value=${f.again} onInput=${set('again')} required data-testid="pw-again" /></label>
          <p class="hint">${t('account.password_others')}</p>
          ${problem ? html`<p class="form-problem" role="alert">${problem}</p>` : null}
          ${error
            ? error.status === 401 || error.status === 403
              ? html`<p class="form-problem" role="alert">${t('account.current_wrong')}</p>`
              : error.status === 400
                ? html`<p class="form-problem" role="alert">${t('account.password_refused')} <code>${error.message}</code></p>`
                : html`<${ErrorNote} error=${error} />`
            : null}`}
      <div class="dialog-actions">
        ${done
          ? html`<button type="submit" class="primary">${t('action.close')}</button>`
          : html`<button type="button" class="ghost" onClick=${() => ref.current?.close()}>${t('action.cancel')}</button>
            <button type="submit" class="primary" disabled=${busy}>${busy ? t('action.working') : t('account.password_save')}</button>`}
      </div>
    </form>
  </dialog>`
}
