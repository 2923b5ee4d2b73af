/* Pieces shared by the settings sections: section heading, copy button, polite
   success notices, the delete confirmation dialog, API refusals, and date helpers. */

import { useEffect, useRef, useState, useCallback } from 'preact/hooks'
import { html } from '../../components/html.js'
import { ErrorNote } from '../../components/states.js'
import { t, fmt } from '../../i18n/index.js'

/** The section's title (focus target after a deletion) and its introduction. */
export function SectionHead({ title, children }) {
  return html`<header class="settings-head">
    <h1 id="settings-h" tabindex="-1">${title}</h1>
    ${children ? html`<p class="settings-intro">${children}</p>` : null}
  </header>`
}

/** Moves focus to the section title (when the focused control disappeared). */
export function focusHeading() {
  document.getElementById('settings-h')?.focus()
}

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

/** A success message, shown at the bottom of the window wherever the reader is
    scrolled, and announced politely (the live region stays mounted). */
export function Notice({ msg }) {
  return html`<div class="notice-slot" role="status" aria-live="polite" data-testid="notice">
    ${msg ? html`<p class="notice"><span aria-hidden="true">✓ </span>${msg}</p>` : null}
  </div>`
}

/** [message, show(text)]: a notice that fades after a while. */
export function useNotice() {
  const [msg, setMsg] = useState('')
  const timer = useRef()
  useEffect(() => () => clearTimeout(timer.current), [])
  const show = useCallback((text) => {
    clearTimeout(timer.current)
    setMsg(text)
    timer.current = setTimeout(() => setMsg(''), 10000)
  }, [])
  return [msg, show]
}

/** The API refused a value (400: its own message, in full) or failed otherwise. */
export function ApiProblem({ error, onRetry }) {
  if (!error) return null
  if (error.status === 400) {
    return html`<div class="error-note" role="alert">
      <strong>${t('settings.refused')}</strong>
      <span>${t('settings.refused_reason')} <code>${error.message}</code></span>
    </div>`
  }
  return html`<${ErrorNote} error=${error} onRetry=${onRetry} />`
}

/** A feature this server does not offer yet (its endpoint answered 404). */
export function Unavailable({ title, children }) {
  return html`<div class="panel callout settings-unavailable" data-testid="unavailable">
    <h2>${title}</h2>
    ${children}
  </div>`
}

let dialogSeq = 0

/** A modal confirmation: `onConfirm` runs on the red button (its error stays in the
    dialog); the dialog closes on success, Cancel or Esc, then `onClose` runs. After a
    confirmed deletion the focused control is gone, so focus goes to the section title. */
export function ConfirmDialog({ title, confirmLabel, onConfirm, onClose, children }) {
  const ref = useRef()
  const [id] = useState(() => `confirm-${++dialogSeq}`)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const done = useRef(false)
  useEffect(() => {
    ref.current?.showModal?.()
  }, [])
  const closed = () => {
    onClose()
    if (done.current) setTimeout(focusHeading, 0)
  }
  const submit = async (e) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await onConfirm()
      done.current = true
      ref.current?.close()
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return html`<dialog ref=${ref} class="dialog" onClose=${closed} aria-labelledby=${id + '-t'} aria-describedby=${id + '-d'} data-testid="confirm">
    <form onSubmit=${submit}>
      <h2 id=${id + '-t'}>${title}</h2>
      <div id=${id + '-d'} class="dialog-body">${children}</div>
      <${ApiProblem} error=${error} />
      <div class="dialog-actions">
        <button type="button" class="ghost" autofocus onClick=${() => ref.current?.close()}>${t('action.cancel')}</button>
        <button type="submit" class="danger" disabled=${busy}>${busy ? t('settings.working') : confirmLabel}</button>
      </div>
    </form>
  </dialog>`
}

/** Non-empty trimmed lines of a textarea (commas also separate, for pasted lists). */
export function lines(text, { commas = false } = {}) {
  return String(text || '')
    .split(commas ? /[\n,]/ : /\n/)
    .map((s) => s.trim())
    .filter(Boolean)
}

const pad = (n) => String(n).padStart(2, '0')

/** An instant as the reader's local clock time, with the date when it is not today. */
export function when(iso) {
  const d = new Date(iso)
  if (!iso || Number.isNaN(d.getTime())) return '–'
  if (new Date().toDateString() === d.toDateString()) return fmt.time(iso)
  // fmt.day reads a calendar day label: the reader's local day of the instant.
  return `${fmt.day(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`)} ${fmt.time(iso)}`
}

/** How long ago an instant was, as a duration ("12 s", "3 min 5 s"). */
export function ago(iso, now = Date.now()) {
  const d = new Date(iso).getTime()
  if (Number.isNaN(d)) return '–'
  return fmt.duration(Math.max(0, (now - d) / 1000))
}

/** Whether an error says the endpoint does not exist on this server yet. */
export const missing = (e) => e?.status === 404 || e?.status === 405 || e?.status === 501
