/* Goals: what counts as a conversion, either a custom event the site sends or a visit
   to pages matching a pattern. List, add, edit (saving under a name replaces it) and
   delete with confirmation; every change reloads the shared definitions. */

import { useState, useRef } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { linkTo } from '../../state/store.js'
import { defs, loadDefs } from '../../state/site.js'
import { can } from '../../state/session.js'
import { SectionHead, Notice, useNotice, ApiProblem, ConfirmDialog, ReadOnlyNote } from './ui.js'

const blank = { name: '', kind: 'event', event_name: '', page: '' }

/** Saved funnels whose steps use a goal, by name. */
function usedBy(name) {
  return (defs.value.funnels || []).filter((f) => (f.steps || []).some((s) => s.goal === name)).map((f) => f.name)
}

function GoalForm({ site, goals, editing, onSaved, onCancel }) {
  const [g, setG] = useState(editing ? { name: editing.name, kind: editing.event_name ? 'event' : 'page', event_name: editing.event_name || '', page: editing.page || '' } : blank)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const [invalid, setInvalid] = useState('')
  const nameRef = useRef()
  const set = (k) => (e) => setG({ ...g, [k]: e.target.value })
  // Event names the site sent in the last 30 days, to pick from.
  const seen = useApi(
    (signal) => api.query({ site_id: site, metrics: ['visitors'], date_range: '30d', dimensions: ['event:name'], pagination: { limit: 30 } }, { signal }),
    [site],
  )
  const names = (seen.data?.results || []).map((r) => r.dimensions[0]).filter((v) => v && v !== '(other)' && v !== 'pageview')
  const clash = !editing && goals.some((x) => x.name === g.name.trim())
  const submit = async (e) => {
    e.preventDefault()
    const name = g.name.trim()
    const target = g.kind === 'event' ? g.event_name.trim() : g.page.trim()
    if (g.kind === 'page' && !target.startsWith('/')) return setInvalid(t('settings.goals.page_slash'))
    setInvalid('')
    setBusy(true)
    setError(null)
    try {
      await api.goals.save({ site_id: site, name, ...(g.kind === 'event' ? { event_name: target } : { page: target }) })
      // A renamed goal is saved under its new name; the old one goes.
      if (editing && editing.name !== name) await api.goals.remove(site, editing.name)
      setG(blank)
      await onSaved(name, !!editing)
      nameRef.current?.focus()
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  return html`<form class="settings-form" onSubmit=${submit} data-testid="goal-form" aria-labelledby="panel-goal-form">
    <label>${t('settings.goals.name')}
      <input ref=${nameRef} value=${g.name} onInput=${set('name')} required maxlength="120" placeholder=${t('settings.goals.name_ph')} aria-describedby="goal-name-hint" data-testid="goal-name" />
      <small class="hint" id="goal-name-hint">${clash ? html`<span class="warn">${t('settings.goals.clash')}</span>` : t('settings.goals.name_hint')}</small>
    </label>
    <fieldset class="choice">
      <legend>${t('settings.goals.kind')}</legend>
      <label class="check"><input type="radio" name="goal-kind" value="event" checked=${g.kind === 'event'} onChange=${() => setG({ ...g, kind: 'event' })} data-testid="goal-kind-event" /> ${t('settings.goals.kind_event')}</label>
      <label class="check"><input type="radio" name="goal-kind" value="page" checked=${g.kind === 'page'} onChange=${() => setG({ ...g, kind: 'page' })} data-testid="goal-kind-page" /> ${t('settings.goals.kind_page')}</label>
    </fieldset>
    ${g.kind === 'event'
      ? html`<label>${t('settings.goals.event_name')}
            <input value=${g.event_name} onInput=${set('event_name')} required maxlength="200" list="goal-events" placeholder="Booking Confirmed" aria-describedby="goal-event-hint" data-testid="goal-event" />
            <small class="hint" id="goal-event-hint">${t('settings.goals.event_hint')}</small>
          </label>
          <datalist id="goal-events">${names.map((n) => html`<option value=${n}></option>`)}</datalist>
          ${names.length
            ? html`<div class="suggestions" role="group" aria-label=${t('settings.goals.seen')}>
                <span class="hint">${t('settings.goals.seen')}</span>
                ${names.slice(0, 12).map((n) => html`<button type="button" class="suggestion" aria-pressed=${g.event_name === n ? 'true' : 'false'} onClick=${() => setG({ ...g, event_name: n })}>${n}</button>`)}
              </div>`
            : null}`
      : html`<label>${t('settings.goals.page')}
          <input value=${g.page} onInput=${set('page')} required maxlength="500" placeholder="/prendre-rendez-vous/confirmation" aria-describedby="goal-page-hint" aria-invalid=${invalid ? 'true' : undefined} data-testid="goal-page" />
          <small class="hint" id="goal-page-hint">${invalid ? html`<span class="warn">${invalid}</span> ` : null}${t('settings.goals.page_hint')}</small>
        </label>`}
    <${ApiProblem} error=${error} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy} data-testid="goal-save">${busy ? t('settings.working') : editing ? t('settings.save_changes') : t('settings.goals.add')}</button>
      ${editing ? html`<button type="button" class="ghost" onClick=${onCancel}>${t('action.cancel')}</button>` : null}
    </div>
  </form>`
}

function describe(g) {
  return g.event_name ? t('settings.goals.when_event') : t('settings.goals.when_page')
}

export function GoalsSection({ site }) {
  const res = useApi(() => api.goals.list(site), [site])
  const editor = can(site, 'editor')
  const [editing, setEditing] = useState(null)
  const [deleting, setDeleting] = useState(null)
  const [msg, notice] = useNotice()
  const formRef = useRef()
  const goals = res.data?.goals || []
  const refresh = async () => {
    res.reload()
    await loadDefs(site)
  }
  const edit = (g) => {
    setEditing(g)
    requestAnimationFrame(() => {
      formRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' })
      formRef.current?.querySelector('input')?.focus({ preventScroll: true })
    })
  }
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.goals.title')}>${t('settings.goals.intro')}</${SectionHead}>
    ${editor ? null : html`<${ReadOnlyNote} need="editor" />`}
    <${Notice} msg=${msg} />

    <${Panel} id="goals-list" title=${t('settings.goals.list')}>
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : !goals.length
            ? html`<${Empty}>${t('settings.goals.empty')}</${Empty}>`
            : html`<ul class=${res.loading ? 'defs stale' : 'defs'} data-testid="goals">
                ${goals.map(
                  (g) => html`<li class="def">
                    <div class="def-main">
                      <strong class="def-name">${g.name}</strong>
                      <span class="def-what">${describe(g)} <code>${g.event_name || g.page}</code></span>
                    </div>
                    ${editor
                      ? html`<div class="def-actions">
                          <button type="button" class="small" onClick=${() => edit(g)}>${t('action.edit')}<span class="sr-only"> ${g.name}</span></button>
                          <button type="button" class="small danger" onClick=${() => setDeleting(g)} data-testid="goal-delete">${t('action.delete')}<span class="sr-only"> ${g.name}</span></button>
                        </div>`
                      : null}
                  </li>`,
                )}
              </ul>`}
    </${Panel}>

    ${editor ? html`<div ref=${formRef}>
      <${Panel} id="goal-form" title=${editing ? t('settings.goals.edit_title', { name: editing.name }) : t('settings.goals.add_title')}
        footer=${html`${t('settings.goals.where')} <a href=${linkTo('overview')}>${t('nav.overview')}</a>, <a href=${linkTo('funnels')}>${t('nav.funnels')}</a>, <a href=${linkTo('attribution')}>${t('nav.attribution')}</a>`}>
        <${GoalForm} key=${editing ? editing.name : 'new'} site=${site} goals=${goals} editing=${editing}
          onCancel=${() => setEditing(null)}
          onSaved=${async (name, wasEdit) => {
            setEditing(null)
            await refresh()
            notice(t(wasEdit ? 'settings.goals.saved' : 'settings.goals.added', { name }))
          }} />
      </${Panel}>
    </div>` : null}

    ${deleting
      ? html`<${ConfirmDialog} title=${t('settings.goals.delete_title', { name: deleting.name })} confirmLabel=${t('settings.goals.delete_confirm')}
          onClose=${() => setDeleting(null)}
          onConfirm=${async () => {
            await api.goals.remove(site, deleting.name)
            if (editing?.name === deleting.name) setEditing(null)
            await refresh()
            notice(t('settings.goals.deleted', { name: deleting.name }))
          }}>
          <p>${t('settings.goals.delete_body')}</p>
          ${usedBy(deleting.name).length ? html`<p class="warn">${t('settings.goals.delete_used', { funnels: usedBy(deleting.name).join(', ') })}</p>` : null}
        </${ConfirmDialog}>`
      : null}
  </div>`
}
