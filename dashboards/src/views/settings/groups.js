/* Content groups: families of pages named in the team's words ("Symptom research" for
   /symptomes/**). List in priority order (a page belongs to the first group that
   matches), add, edit, reorder, delete; a tester shows which group a page falls in. */

import { useState, useRef, useEffect } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { defs, loadDefs } from '../../state/site.js'
import { can } from '../../state/session.js'
import { SectionHead, Notice, useNotice, ApiProblem, ConfirmDialog, ReadOnlyNote } from './ui.js'

/** A path pattern as the server reads it (src/patterns.rs): `*` within a segment,
    `**` across segments, `/a/**` also matches `/a`, everything else literal. */
export function toRegex(pattern) {
  if (!pattern.startsWith('/')) return null
  let out = '^'
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++
        if (out.endsWith('/') && i === pattern.length - 1) out = out.slice(0, -1) + '(/.*)?'
        else out += '.*'
      } else out += '[^/]*'
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(out + '$')
}

/** The path of what the reader typed (a full address or a path). */
function pathOf(input) {
  const s = input.trim()
  if (!s) return ''
  try {
    return new URL(s, 'https://example.org').pathname
  } catch {
    return s
  }
}

/** Saved funnels whose steps use a group, by name. */
function usedBy(name) {
  return (defs.value.funnels || []).filter((f) => (f.steps || []).some((s) => s.content_group === name)).map((f) => f.name)
}

const byPosition = (a, b) => a.position - b.position || a.name.localeCompare(b.name)

function Tester({ groups }) {
  const [input, setInput] = useState('')
  const path = pathOf(input)
  const hits = path ? groups.filter((g) => (g.patterns || []).some((p) => toRegex(p)?.test(path))) : []
  return html`<div class="tester" data-testid="group-tester">
    <label>${t('settings.groups.test_label')}
      <input value=${input} onInput=${(e) => setInput(e.target.value)} placeholder="/symptomes/migraine" aria-describedby="group-test-result" data-testid="group-test" />
    </label>
    <p id="group-test-result" class="tester-result" aria-live="polite">
      ${!path
        ? html`<span class="hint">${t('settings.groups.test_hint')}</span>`
        : hits.length
          ? html`${t('settings.groups.test_in')} <strong>${hits[0].name}</strong>${hits.length > 1 ? html` <span class="hint">${t('settings.groups.test_also', { names: hits.slice(1).map((g) => g.name).join(', ') })}</span>` : null}`
          : t('settings.groups.test_none')}
    </p>
  </div>`
}

function GroupForm({ site, groups, editing, onSaved, onCancel }) {
  const nextPos = groups.reduce((m, g) => Math.max(m, g.position || 0), 0) + 1
  const [name, setName] = useState(editing?.name || '')
  const [patterns, setPatterns] = useState(editing?.patterns?.length ? editing.patterns : [''])
  const [position, setPosition] = useState(String(editing ? editing.position : nextPos))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const [invalid, setInvalid] = useState(-1)
  const list = useRef()
  const setAt = (i, v) => setPatterns(patterns.map((p, j) => (j === i ? v : p)))
  const add = () => {
    setPatterns([...patterns, ''])
    requestAnimationFrame(() => {
      const inputs = list.current?.querySelectorAll('input')
      inputs?.[inputs.length - 1]?.focus()
    })
  }
  const clash = !editing && groups.some((g) => g.name === name.trim())
  const submit = async (e) => {
    e.preventDefault()
    const ps = patterns.map((p) => p.trim()).filter(Boolean)
    const bad = patterns.findIndex((p) => p.trim() && !p.trim().startsWith('/'))
    setInvalid(bad)
    if (bad >= 0 || !ps.length) return
    setBusy(true)
    setError(null)
    try {
      const n = name.trim()
      await api.groups.save({ site_id: site, name: n, patterns: ps, position: Math.max(0, parseInt(position, 10) || 0) })
      if (editing && editing.name !== n) await api.groups.remove(site, editing.name)
      await onSaved(n, !!editing)
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  return html`<form class="settings-form" onSubmit=${submit} data-testid="group-form" aria-labelledby="panel-group-form">
    <label>${t('settings.groups.name')}
      <input value=${name} onInput=${(e) => setName(e.target.value)} required maxlength="120" placeholder=${t('settings.groups.name_ph')} aria-describedby="group-name-hint" data-testid="group-name" />
      <small class="hint" id="group-name-hint">${clash ? html`<span class="warn">${t('settings.groups.clash')}</span>` : t('settings.groups.name_hint')}</small>
    </label>
    <fieldset class="patterns">
      <legend>${t('settings.groups.patterns')}</legend>
      <p class="hint" id="group-patterns-hint">${t('settings.groups.patterns_hint')}</p>
      <ul ref=${list}>
        ${patterns.map(
          (p, i) => html`<li>
            <input value=${p} onInput=${(e) => setAt(i, e.target.value)} placeholder="/symptomes/**" required=${i === 0}
              aria-label=${t('settings.groups.pattern_n', { n: i + 1 })} aria-describedby="group-patterns-hint" aria-invalid=${invalid === i ? 'true' : undefined} data-testid="group-pattern" />
            ${patterns.length > 1
              ? html`<button type="button" class="small ghost" onClick=${() => setPatterns(patterns.filter((_, j) => j !== i))}>${t('settings.groups.pattern_remove')}<span class="sr-only"> ${t('settings.groups.pattern_n', { n: i + 1 })}</span></button>`
              : null}
            ${invalid === i ? html`<span class="warn hint" role="alert">${t('settings.groups.pattern_slash')}</span>` : null}
          </li>`,
        )}
      </ul>
      <button type="button" class="small" onClick=${add} data-testid="group-add-pattern">${t('settings.groups.pattern_add')}</button>
    </fieldset>
    <label class="narrow">${t('settings.groups.position')}
      <input type="number" min="0" step="1" value=${position} onInput=${(e) => setPosition(e.target.value)} aria-describedby="group-pos-hint" data-testid="group-position" />
      <small class="hint" id="group-pos-hint">${t('settings.groups.position_hint')}</small>
    </label>
    <${ApiProblem} error=${error} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy} data-testid="group-save">${busy ? t('settings.working') : editing ? t('settings.save_changes') : t('settings.groups.add')}</button>
      ${editing ? html`<button type="button" class="ghost" onClick=${onCancel}>${t('action.cancel')}</button>` : null}
    </div>
  </form>`
}

export function GroupsSection({ site }) {
  const res = useApi(() => api.groups.list(site), [site])
  const editor = can(site, 'editor')
  const [editing, setEditing] = useState(null)
  const [deleting, setDeleting] = useState(null)
  const [moving, setMoving] = useState(false)
  const [moveError, setMoveError] = useState(null)
  // After a move the list re-renders: focus goes back to the moved group's arrow.
  const [refocus, setRefocus] = useState(null)
  const [msg, notice] = useNotice()
  const formRef = useRef()
  const groups = [...(res.data?.content_groups || [])].sort(byPosition)
  useEffect(() => {
    if (!refocus || res.loading) return
    const li = [...document.querySelectorAll('[data-testid=groups] > li')].find((e) => e.dataset.group === refocus.name)
    const [up, down] = li ? li.querySelectorAll('button.move') : []
    const target = refocus.by < 0 ? (up?.disabled ? down : up) : down?.disabled ? up : down
    target?.focus()
    setRefocus(null)
  }, [res.data, res.loading, refocus])
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
  // Moving renumbers the groups 1..n in the new order and saves those that changed.
  const move = async (i, by) => {
    if (moving) return
    const order = [...groups]
    const [g] = order.splice(i, 1)
    order.splice(i + by, 0, g)
    setMoving(true)
    setMoveError(null)
    try {
      for (const [k, x] of order.entries()) {
        if (x.position !== k + 1) await api.groups.save({ site_id: site, name: x.name, patterns: x.patterns, position: k + 1 })
      }
      await refresh()
      setRefocus({ name: g.name, by })
      notice(t('settings.groups.moved', { name: g.name, n: i + by + 1 }))
    } catch (err) {
      setMoveError(err)
      res.reload()
    }
    setMoving(false)
  }
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.groups.title')}>${t('settings.groups.intro')}</${SectionHead}>
    ${editor ? null : html`<${ReadOnlyNote} need="editor" />`}
    <${Notice} msg=${msg} />

    <${Panel} id="groups-list" title=${t('settings.groups.list')} footer=${t('settings.groups.order_note')}>
      <${ApiProblem} error=${moveError} />
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : !groups.length
            ? html`<${Empty}>${t('settings.groups.empty')}</${Empty}>`
            : html`<ol class=${res.loading || moving ? 'defs stale' : 'defs'} data-testid="groups">
                ${groups.map(
                  (g, i) => html`<li class="def" key=${g.name} data-group=${g.name}>
                    <span class="def-pos" title=${t('settings.groups.position')}>${i + 1}</span>
                    <div class="def-main">
                      <strong class="def-name">${g.name}</strong>
                      <span class="def-what">${(g.patterns || []).map((p) => html`<code>${p}</code> `)}</span>
                    </div>
                    ${editor ? html`<div class="def-actions">
                      <button type="button" class="small ghost move" disabled=${i === 0} aria-disabled=${moving ? 'true' : undefined} onClick=${() => move(i, -1)}
                        aria-label=${t('settings.groups.up', { name: g.name })} title=${t('settings.groups.up', { name: g.name })}>↑</button>
                      <button type="button" class="small ghost move" disabled=${i === groups.length - 1} aria-disabled=${moving ? 'true' : undefined} onClick=${() => move(i, 1)}
                        aria-label=${t('settings.groups.down', { name: g.name })} title=${t('settings.groups.down', { name: g.name })}>↓</button>
                      <button type="button" class="small" onClick=${() => edit(g)}>${t('action.edit')}<span class="sr-only"> ${g.name}</span></button>
                      <button type="button" class="small danger" onClick=${() => setDeleting(g)} data-testid="group-delete">${t('action.delete')}<span class="sr-only"> ${g.name}</span></button>
                    </div>` : null}
                  </li>`,
                )}
              </ol>`}
      ${groups.length ? html`<${Tester} groups=${groups} />` : null}
    </${Panel}>

    ${editor ? html`<div ref=${formRef}>
      <${Panel} id="group-form" title=${editing ? t('settings.groups.edit_title', { name: editing.name }) : t('settings.groups.add_title')}>
        <div class="form-with-help">
          <${GroupForm} key=${editing ? editing.name : 'new' + groups.length} site=${site} groups=${groups} editing=${editing}
            onCancel=${() => setEditing(null)}
            onSaved=${async (name, wasEdit) => {
              setEditing(null)
              await refresh()
              notice(t(wasEdit ? 'settings.groups.saved' : 'settings.groups.added', { name }))
            }} />
          <div class="pattern-help">
            <h3 id="pattern-help-h">${t('settings.groups.help_title')}</h3>
            <dl>
              <div><dt><code>/medecins/*</code></dt><dd>${t('settings.groups.help_star')}</dd></div>
              <div><dt><code>/symptomes/**</code></dt><dd>${t('settings.groups.help_double')}</dd></div>
              <div><dt><code>/contact</code></dt><dd>${t('settings.groups.help_exact')}</dd></div>
            </dl>
            <p class="hint">${t('settings.groups.help_more')}</p>
          </div>
        </div>
      </${Panel}>
    </div>` : null}

    ${deleting
      ? html`<${ConfirmDialog} title=${t('settings.groups.delete_title', { name: deleting.name })} confirmLabel=${t('settings.groups.delete_confirm')}
          onClose=${() => setDeleting(null)}
          onConfirm=${async () => {
            await api.groups.remove(site, deleting.name)
            if (editing?.name === deleting.name) setEditing(null)
            await refresh()
            notice(t('settings.groups.deleted', { name: deleting.name }))
          }}>
          <p>${t('settings.groups.delete_body')}</p>
          ${usedBy(deleting.name).length ? html`<p class="warn">${t('settings.groups.delete_used', { funnels: usedBy(deleting.name).join(', ') })}</p>` : null}
        </${ConfirmDialog}>`
      : null}
  </div>`
}
