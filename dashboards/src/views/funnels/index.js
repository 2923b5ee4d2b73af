/* Funnels: the site's saved funnels (open one with `funnel=<name>`, edit, delete), the
   builder of a new one (its draft held in `def=`, shown with `show=1`), and the answer
   of either for the period and filters, broken down by `by=<dimension>`. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Confirm } from '../../components/confirm.js'
import { Loading } from '../../components/states.js'
import { t, fmt } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { route, base, navigate, linkTo } from '../../state/store.js'
import { defs, loadDefs } from '../../state/site.js'
import { can } from '../../state/session.js'
import { shortDim } from '../../state/dimensions.js'
import { FunnelAnswer } from './answer.js'
import { Builder } from './builder.js'
import { breakdownDim, DEFAULT_WINDOW, newDraft, draftOf, encodeDraft, decodeDraft, toApiStep, windowLabel } from './def.js'

/** The breakdown id asked in the URL, or the funnel's own, or 'none'. */
function breakdownOf(st, saved) {
  const asked = st.extra.by
  if (asked === 'none' || breakdownDim(asked)) return asked
  const own = saved ? shortDim(saved) : null
  return own && breakdownDim(own) ? own : 'none'
}

const summaryOf = (steps, window) => t('funnels.summary', { count: steps, window: windowLabel(window || DEFAULT_WINDOW, fmt) })

/** The saved funnels as links, and "New funnel". */
function FunnelList({ funnels, current, building }) {
  const open = (name) => (e) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button) return
    e.preventDefault()
    navigate({ extra: { funnel: name } }, { keepExtra: false })
  }
  return html`<div class="fn-bar">
    ${funnels.length
      ? html`<nav class="fn-list" aria-label=${t('funnels.saved')}>
          <span class="fn-list-label" aria-hidden="true">${t('funnels.saved')}</span>
          <ul>
            ${funnels.map(
              (f) => html`<li key=${f.name}><a href=${linkTo('funnels', { funnel: f.name })} class=${f.name === current ? 'on' : ''}
                aria-current=${f.name === current ? 'page' : undefined} onClick=${open(f.name)} data-testid="funnel-link">${f.name}</a></li>`,
            )}
          </ul>
        </nav>`
      : html`<span></span>`}
    ${building
      ? null
      : html`<button type="button" class="primary" onClick=${() => navigate({ extra: { def: encodeDraft(newDraft(defs.value)) } }, { keepExtra: false })} data-testid="funnel-new">+ ${t('funnels.new')}</button>`}
  </div>`
}

/** No funnel saved yet: what a funnel is and how to start one. */
function NoFunnels() {
  return html`<section class="panel wide callout fn-empty" aria-labelledby="fn-empty-title" data-testid="funnel-empty">
    <h2 id="fn-empty-title">${t('funnels.empty_title')}</h2>
    <p>${t('funnels.empty_body')}</p>
    <p class="hint">${t('funnels.empty_example')}</p>
    <p><button type="button" class="primary" onClick=${() => navigate({ extra: { def: encodeDraft(newDraft(defs.value)) } }, { keepExtra: false })} data-testid="funnel-new">+ ${t('funnels.new')}</button></p>
  </section>`
}

/** A saved funnel's answer, with Edit and Delete. */
function SavedFunnel({ funnel }) {
  const st = route.value
  const [confirm, setConfirm] = useState(false)
  const by = breakdownOf(st, funnel.breakdown)
  const body = { ...base.value, funnel: funnel.name }
  if (by !== 'none') body.breakdown = breakdownDim(by)
  else if (funnel.breakdown) {
    // A saved breakdown cannot be turned off by name: ask its steps instead.
    delete body.funnel
    Object.assign(body, { steps: funnel.steps, window: funnel.window || DEFAULT_WINDOW })
    if (!body.filters.length && funnel.filters?.length) body.filters = funnel.filters
  }
  // A failure stays in the dialog (the shared Confirm shows it).
  const remove = async () => {
    await api.funnels.remove(st.site, funnel.name)
    await loadDefs(st.site)
    navigate({ extra: {} }, { keepExtra: false })
  }
  const edit = () => navigate({ extra: { def: encodeDraft(draftOf(funnel)), edit: funnel.name, show: '1', by } }, { keepExtra: false })
  return html`
    <${FunnelAnswer} key=${funnel.name} body=${body} title=${funnel.name} name=${funnel.name} defs=${funnel.steps || []} by=${by}
      summary=${summaryOf((funnel.steps || []).length, funnel.window)}
      actions=${can(st.site, 'editor')
        ? html`<button type="button" class="ghost small" onClick=${edit} data-testid="funnel-edit">${t('funnels.edit')}</button>
          <button type="button" class="ghost small danger" onClick=${() => setConfirm(true)} data-testid="funnel-delete">${t('funnels.delete')}</button>`
        : null} />
    ${confirm
      ? html`<${Confirm} title=${t('funnels.delete_title', { name: funnel.name })} confirmLabel=${t('funnels.delete_confirm')}
          onConfirm=${remove} onClose=${() => setConfirm(false)}><p>${t('funnels.delete_body')}</p></${Confirm}>`
      : null}`
}

const asked = (d) => JSON.stringify({ s: d.steps.map(toApiStep), w: d.window })

/** The builder and, once "Show" was pressed, the draft's answer. */
function Building({ funnels }) {
  const st = route.value
  const urlDef = st.extra.def
  // The draft is edited here and written to the URL a moment after the last change
  // (browsers limit how often a page may rewrite its URL); back/forward reload it.
  const [draft, setDraft] = useState(() => decodeDraft(urlDef) || newDraft(defs.value))
  const written = useRef(urlDef)
  const timer = useRef(null)
  useEffect(() => {
    if (urlDef === written.current) return
    written.current = urlDef
    const d = decodeDraft(urlDef)
    if (d) setDraft(d)
  }, [urlDef])
  useEffect(() => () => clearTimeout(timer.current), [])
  const write = (d, extra = {}) => {
    clearTimeout(timer.current)
    written.current = encodeDraft(d)
    navigate({ extra: { def: written.current, ...extra } }, { replace: true })
  }
  const editing = st.extra.edit || null
  const [shown, setShown] = useState(st.extra.show ? draft : null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const [overwrite, setOverwrite] = useState(false)
  const by = breakdownOf(st, null)
  const change = (next) => {
    setDraft(next)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => write(next), 400)
  }
  const show = () => {
    setShown(draft)
    write(draft, { show: '1' })
    // The answer is under the builder: bring it into view.
    requestAnimationFrame(() => document.querySelector('[data-testid="funnel"]')?.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' }))
  }
  const save = async (force) => {
    const name = draft.name.trim()
    if (!force && name !== editing && funnels.some((f) => f.name === name)) return setOverwrite(true)
    setOverwrite(false)
    setBusy(true)
    setError(null)
    const body = { site_id: st.site, name, steps: draft.steps.map(toApiStep), window: draft.window }
    if (by !== 'none') body.breakdown = breakdownDim(by)
    if (draft.filters?.length) body.filters = draft.filters
    clearTimeout(timer.current)
    try {
      await api.funnels.save(body)
      await loadDefs(st.site)
      navigate({ extra: { funnel: name, by: st.extra.by } }, { keepExtra: false })
    } catch (e) {
      setError(e)
      setBusy(false)
    }
  }
  const cancel = () => {
    clearTimeout(timer.current)
    navigate({ extra: editing ? { funnel: editing, by: st.extra.by } : {} }, { keepExtra: false })
  }
  const shownBody = shown && { ...base.value, steps: shown.steps.map(toApiStep), window: shown.window, ...(by !== 'none' ? { breakdown: breakdownDim(by) } : {}) }
  return html`
    <${Builder} draft=${draft} editing=${editing} defs=${defs.value} onChange=${change} onShow=${show} onSave=${can(st.site, 'editor') ? () => save(false) : null}
      onCancel=${cancel} busy=${busy} error=${error} canCancel=${true} />
    ${shown
      ? html`<${FunnelAnswer} key="draft" body=${shownBody} title=${shown.name.trim() || t('funnels.unsaved')} name=${shown.name || 'funnel'}
          defs=${shown.steps.map(toApiStep)} by=${by} stale=${asked(shown) !== asked(draft)} summary=${summaryOf(shown.steps.length, shown.window)} />`
      : html`<p class="hint fn-show-hint">${t('funnels.show_hint')}</p>`}
    ${overwrite
      ? html`<${Confirm} title=${t('funnels.overwrite_title', { name: draft.name.trim() })} confirmLabel=${t('funnels.overwrite_confirm')} danger=${false}
          onConfirm=${() => save(true)} onClose=${() => setOverwrite(false)}><p>${t('funnels.overwrite_body')}</p></${Confirm}>`
      : null}`
}

export function Funnels() {
  const st = route.value
  const d = defs.value
  const ready = d.loaded && d.site === st.site
  const building = st.extra.def !== undefined
  let body
  if (!ready) body = html`<${Loading} />`
  else if (building) body = html`<${Building} key=${st.extra.edit || 'new'} funnels=${d.funnels} />`
  else if (!d.funnels.length) body = html`<${NoFunnels} />`
  else {
    const name = st.extra.funnel
    const funnel = name ? d.funnels.find((f) => f.name === name) : d.funnels[0]
    body = funnel
      ? html`<${SavedFunnel} key=${funnel.name} funnel=${funnel} />`
      : html`<div class="panel wide callout" role="alert"><h2>${t('funnels.not_found_title')}</h2><p>${t('funnels.not_found', { name })}</p></div>`
  }
  const current = building ? null : st.extra.funnel || d.funnels[0]?.name
  return html`<div class="view funnels">
    <h1 class="sr-only">${t('funnels.title')}</h1>
    ${ready && (d.funnels.length || building) ? html`<${FunnelList} funnels=${d.funnels} current=${current} building=${building} />` : null}
    ${body}
  </div>`
}
