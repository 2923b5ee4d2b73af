/* Filter chips and their editor. Every chip is one [op, dimension, values] of the
   stats API; the URL holds them (`f=is,page,/symptomes/**`), so editing a chip is
   navigating. */

import { useState, useRef, useEffect } from 'preact/hooks'
import { html } from './html.js'
import { t } from '../i18n/index.js'
import { valueLabel } from '../i18n/values.js'
import { route, navigate, base } from '../state/store.js'
import { FILTERABLE, OPS, apiDim, shortDim } from '../state/dimensions.js'
import { api } from '../api/client.js'

/** The label of a (short) dimension name, `props:specialty` included. */
export function dimLabel(dim) {
  if (dim.startsWith('props:')) return t('dim.prop', { key: dim.slice(6) })
  return t(`dim.${dim}`)
}

/** Adds `is dim value` to the filters (replacing an `is` on the same dimension). */
export function addFilter(dim, value) {
  const rest = route.value.filters.filter((f) => !(f.dim === dim && f.op === 'is'))
  navigate({ filters: [...rest, { op: 'is', dim, values: [value] }] })
}

function chipText(f) {
  const values = f.values.map((v) => (f.op.startsWith('is') ? valueLabel(f.dim, v) : v)).join(t('filter.or'))
  return html`<span class="chip-dim">${dimLabel(f.dim)}</span> <span class="chip-op">${t(`op.${f.op}`)}</span> <span class="chip-val">${values}</span>`
}

/** Filters in the API's form (`["is", "visit:channel", ["Organic Search"]]`) named in
    words, as a list that cannot be edited: a shared link's fixed filters. */
export function FixedFilters({ filters, label }) {
  const list = (filters || []).filter((f) => Array.isArray(f) && f.length >= 3)
  if (!list.length) return null
  return html`<p class="fixed-filters" data-testid="fixed-filters"><span>${label || t('filter.fixed')}</span>
    ${list.map(([op, dim, values]) => html`<span class="chip fixed">${chipText({ op, dim: shortDim(String(dim)), values: [].concat(values).map(String) })}</span>`)}
  </p>`
}

/** The row of chips, with the editor behind "Add filter" and each chip's edit button. */
export function FilterBar() {
  const filters = route.value.filters
  const [editing, setEditing] = useState(null) // null, 'new' or an index
  const remove = (i) => navigate({ filters: filters.filter((_, j) => j !== i) })
  return html`<div class="filter-bar" role="group" aria-label=${t('filter.bar')}>
    ${filters.map(
      (f, i) => html`<span class="chip" data-testid="filter-chip">
        <button type="button" class="chip-edit" onClick=${() => setEditing(i)} title=${t('filter.edit')}><span class="sr-only">${t('filter.edit_prefix')} </span>${chipText(f)}</button>
        <button type="button" class="chip-x" onClick=${() => remove(i)} aria-label=${t('filter.remove_named', { name: dimLabel(f.dim) })}>×</button>
      </span>`,
    )}
    <button type="button" class="ghost small" onClick=${() => setEditing('new')}>+ ${t('filter.add')}</button>
    ${filters.length ? html`<button type="button" class="link small" onClick=${() => navigate({ filters: [] })} title=${t('filter.clear_hint')}>${t('filter.clear')}</button>` : null}
    ${editing !== null
      ? html`<${FilterEditor} initial=${editing === 'new' ? null : filters[editing]} onClose=${() => setEditing(null)}
          onSave=${(f) => {
            const next = [...filters]
            if (editing === 'new') next.push(f)
            else next[editing] = f
            navigate({ filters: next })
            setEditing(null)
          }} />`
      : null}
  </div>`
}

function FilterEditor({ initial, onSave, onClose }) {
  const ref = useRef()
  const [dim, setDim] = useState(initial?.dim || 'page')
  const [op, setOp] = useState(initial?.op || 'is')
  const [value, setValue] = useState(initial ? initial.values.join('\n') : '')
  const [prop, setProp] = useState(initial?.dim?.startsWith('props:') ? initial.dim.slice(6) : '')
  const [suggestions, setSuggestions] = useState([])
  useEffect(() => {
    ref.current?.showModal?.()
  }, [])
  const realDim = dim === 'props' ? (prop ? `props:${prop}` : '') : dim
  useEffect(() => {
    // Suggestions are the dimension's top values for the period and the other filters.
    const d = realDim && apiDim(realDim)
    if (!d) return setSuggestions([])
    const ctl = new AbortController()
    const others = base.value.filters.filter((f) => f[1] !== d)
    api
      .query({ ...base.value, filters: others, metrics: ['visitors'], dimensions: [d], pagination: { limit: 50 } }, { signal: ctl.signal })
      .then((a) => setSuggestions(a.results.map((r) => r.dimensions[0]).filter((v) => v !== '(other)')))
      .catch(() => setSuggestions([]))
    return () => ctl.abort()
  }, [realDim])
  const values = value.split('\n').map((v) => v.trim()).filter(Boolean)
  const submit = (e) => {
    e.preventDefault()
    if (!realDim || !values.length) return
    onSave({ op, dim: realDim, values })
  }
  const dims = [...FILTERABLE, 'props']
  return html`<dialog ref=${ref} class="dialog" onClose=${onClose} aria-labelledby="filter-title">
    <form onSubmit=${submit}>
      <h2 id="filter-title">${initial ? t('filter.edit') : t('filter.add')}</h2>
      <label>${t('filter.dimension')}
        <select value=${dim} onChange=${(e) => setDim(e.target.value)}>
          ${dims.map((d) => html`<option value=${d}>${d === 'props' ? t('dim.props') : dimLabel(d)}</option>`)}
        </select>
      </label>
      ${dim === 'props' ? html`<label>${t('filter.prop_key')}<input value=${prop} onInput=${(e) => setProp(e.target.value.trim())} required /></label>` : null}
      <label>${t('filter.operator')}
        <select value=${op} onChange=${(e) => setOp(e.target.value)}>
          ${OPS.map((o) => html`<option value=${o}>${t(`op.${o}`)}</option>`)}
        </select>
      </label>
      <label>${t('filter.values')}
        <textarea rows="3" value=${value} onInput=${(e) => setValue(e.target.value)} list="filter-suggestions" required></textarea>
        <small class="hint">${op.startsWith('matches') ? t('filter.matches_hint') : t('filter.values_hint')}</small>
      </label>
      ${suggestions.length
        ? html`<div class="suggestions" role="group" aria-label=${t('filter.suggestions')}>
            ${suggestions.slice(0, 12).map(
              (s) => html`<button type="button" class="suggestion" onClick=${() => setValue(values.includes(s) ? value : [...values, s].join('\n'))}>${valueLabel(realDim, s)}</button>`,
            )}
          </div>`
        : null}
      <div class="dialog-actions">
        <button type="button" class="ghost" onClick=${() => ref.current?.close()}>${t('action.cancel')}</button>
        <button type="submit" class="primary">${t('action.apply')}</button>
      </div>
    </form>
  </dialog>`
}
