/* A yes/no question in a modal <dialog> (focus stays inside; Esc cancels), shared by
   every view that asks one (deleting a goal, overwriting a funnel). */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from './html.js'
import { ErrorNote } from './states.js'
import { t } from '../i18n/index.js'

let dialogSeq = 0

/** A modal confirmation: `onConfirm` runs on the confirm button (red when `danger`);
    its error stays in the dialog, shown by `Problem`. The dialog closes on success,
    Cancel or Esc, then `onClose` runs, and `afterConfirm` after a confirmed action
    (whose control may be gone: a view moves focus somewhere sensible). */
export function Confirm({ title, confirmLabel, onConfirm, onClose, children, danger = true, Problem = ErrorNote, afterConfirm }) {
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
    if (done.current && afterConfirm) setTimeout(afterConfirm, 0)
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
      ${error ? html`<${Problem} error=${error} />` : null}
      <div class="dialog-actions">
        <button type="button" class="ghost" autofocus onClick=${() => ref.current?.close()}>${t('action.cancel')}</button>
        <button type="submit" class=${danger ? 'danger' : 'primary'} disabled=${busy}>${busy ? t('action.working') : confirmLabel}</button>
      </div>
    </form>
  </dialog>`
}
