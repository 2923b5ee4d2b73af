/* Pieces shared by the settings sections: section heading, polite success notices,
   the delete confirmation dialog (the shared one, with the sections' ways), API
   refusals, and date helpers. */

import { useEffect, useRef, useState, useCallback } from 'preact/hooks'
import { html } from '../../components/html.js'
import { ErrorNote } from '../../components/states.js'
import { Confirm } from '../../components/confirm.js'
import { t, fmt } from '../../i18n/index.js'

/** The section's title (focus target after a deletion) and its introduction. */
export function SectionHead({ title, children }) {
  return html`<header class="settings-head">
    <h1 id="settings-h" tabindex="-1">${title}</h1>
    ${children ? html`<p class="settings-intro">${children}</p>` : null}
  </header>`
}

/** What this reader's role allows here: read only; `need` names who may change it. */
export function ReadOnlyNote({ need = 'owner' }) {
  return html`<p class="callout-info" data-testid="read-only">${t(need === 'editor' ? 'settings.read_only_editor' : 'settings.read_only_owner')}</p>`
}

/** Moves focus to the section title (when the focused control disappeared). */
export function focusHeading() {
  document.getElementById('settings-h')?.focus()
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

/** The shared confirmation dialog, with the settings' way of showing a refusal and
    focus back on the section title after a confirmed deletion. */
export function ConfirmDialog(props) {
  return html`<${Confirm} ...${props} Problem=${ApiProblem} afterConfirm=${focusHeading} />`
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
