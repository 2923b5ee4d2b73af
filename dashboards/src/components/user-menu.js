/* The account menu in the header: who is signed in, change the password, sign out
   here or everywhere. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from './html.js'
import { ErrorNote } from './states.js'
import { t } from '../i18n/index.js'
import { me, signOut } from '../state/session.js'

// The password dialog is loaded the first time it is opened.
let PasswordDialog = null
const loadDialog = () => import('./password.js').then((m) => (PasswordDialog = m.PasswordDialog))

export function UserMenu() {
  const [open, setOpen] = useState(false)
  const [dialog, setDialog] = useState(false)
  const [error, setError] = useState(null)
  const box = useRef()
  const button = useRef()
  useEffect(() => {
    if (!open) return
    const away = (e) => {
      if (!box.current?.contains(e.target)) setOpen(false)
    }
    const esc = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        setOpen(false)
        button.current?.focus()
      }
    }
    addEventListener('pointerdown', away)
    addEventListener('keydown', esc)
    return () => {
      removeEventListener('pointerdown', away)
      removeEventListener('keydown', esc)
    }
  }, [open])
  const user = me.value?.user || {}
  const out = async (everywhere) => {
    setError(null)
    try {
      await signOut(everywhere)
    } catch (err) {
      setError(err)
    }
  }
  return html`<div class="user-menu" ref=${box}>
    <button type="button" ref=${button} class="ghost small user-button" title=${user.email} aria-expanded=${open ? 'true' : 'false'} aria-controls="user-menu-list"
      onClick=${() => setOpen(!open)} data-testid="user-menu">
      <span class="avatar" aria-hidden="true">${(user.email || '?').slice(0, 1).toUpperCase()}</span>
      <span class="user-email" aria-hidden="true">${user.email}</span>
      <span class="sr-only">${t('account.menu_of', { email: user.email })}</span>
    </button>
    ${open
      ? html`<div class="user-list" id="user-menu-list">
          <p class="user-who"><span class="hint">${t('account.signed_in_as')}</span><br /><strong>${user.email}</strong>
            ${user.server_owner ? html`<br /><span class="badge">${t('account.server_owner')}</span>` : null}</p>
          <button type="button" class="menu-item" onClick=${async () => {
            setOpen(false)
            try {
              await loadDialog()
              setDialog(true)
            } catch (err) {
              setError(err)
            }
          }} data-testid="change-password">${t('account.password_title')}</button>
          <button type="button" class="menu-item" onClick=${() => out(false)} data-testid="sign-out">${t('account.sign_out')}</button>
          <button type="button" class="menu-item" onClick=${() => out(true)} data-testid="sign-out-everywhere">${t('account.sign_out_everywhere')}</button>
          ${error ? html`<${ErrorNote} error=${error} />` : null}
        </div>`
      : null}
    ${dialog && PasswordDialog ? html`<${PasswordDialog} onClose=${() => setDialog(false)} />` : null}
  </div>`
}
