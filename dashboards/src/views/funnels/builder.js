/* The funnel builder: a name, 2 to 8 steps (a page pattern, a content group, a goal or
   an event with an optional property, each with an optional name), the conversion
   window, and Show / Save. It renders the draft it is given and reports changes; the
   view keeps the draft in the URL (`def=`), so a reload keeps it. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { ErrorNote } from '../../components/states.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { base } from '../../state/store.js'
import { KINDS, WINDOWS, MIN_STEPS, MAX_STEPS, blankStep, problems } from './def.js'

/** Focuses the first of the selectors that matches an enabled element, once rendered. */
const focusLater = (...sels) =>
  requestAnimationFrame(() => {
    for (const sel of sels) {
      const el = document.querySelector(sel)
      if (el && !el.disabled) return el.focus()
    }
  })

/** Values seen in the period for a dimension (for the inputs' suggestion lists). */
function useSeen(dim, extraFilters, enabled = true) {
  const q = base.value
  const body = enabled && dim ? { site_id: q.site_id, date_range: q.date_range, metrics: ['visitors'], dimensions: [dim], filters: extraFilters || [], pagination: { limit: 100 } } : null
  const res = useApi((signal) => (body ? api.query(body, { signal }) : Promise.resolve(null)), [JSON.stringify(body)])
  return (res.data?.results || []).map((r) => r.dimensions[0]).filter((v) => v && v !== '(other)' && v !== '(none)' && v !== 'pageview')
}

function StepEditor({ step, i, count, defs, onChange, onMove, onRemove, problem }) {
  const n = i + 1
  const id = `fn-step-${i}`
  const set = (patch) => onChange({ ...step, ...patch })
  const firstKey = step.props[0]?.[0]?.trim() || ''
  const propValues = useSeen(firstKey ? `event:props:${firstKey}` : null, step.value.trim() ? [['is', 'event:name', [step.value.trim()]]] : [], step.kind === 'event' && !!firstKey)
  const errId = problem ? `${id}-err` : undefined
  let valueField
  if (step.kind === 'page') {
    valueField = html`<label>${t('funnels.field.page')}
      <input id=${`${id}-value`} value=${step.value} onInput=${(e) => set({ value: e.target.value })} placeholder=${t('funnels.field.page_placeholder')}
        list="fn-pages" autocomplete="off" spellcheck=${false} aria-invalid=${problem ? 'true' : undefined} aria-describedby=${[`${id}-hint`, errId].filter(Boolean).join(' ')} />
      <small class="hint" id=${`${id}-hint`}>${t('funnels.field.page_hint')}</small>
    </label>`
  } else if (step.kind === 'goal' || step.kind === 'content_group') {
    const list = step.kind === 'goal' ? defs.goals : defs.groups
    const known = list.some((x) => x.name === step.value)
    valueField = html`<label>${t(`funnels.field.${step.kind}`)}
      <select id=${`${id}-value`} value=${step.value} onChange=${(e) => set({ value: e.target.value })} aria-invalid=${problem ? 'true' : undefined} aria-describedby=${errId}>
        ${!list.length ? html`<option value="">${t(`funnels.field.no_${step.kind}`)}</option>` : null}
        ${step.value && !known ? html`<option value=${step.value}>${step.value}</option>` : null}
        ${list.map((x) => html`<option value=${x.name}>${x.name}</option>`)}
      </select>
    </label>`
  } else {
    valueField = html`<label>${t('funnels.field.event')}
      <input id=${`${id}-value`} value=${step.value} onInput=${(e) => set({ value: e.target.value })} placeholder=${t('funnels.field.event_placeholder')}
        list="fn-events" autocomplete="off" aria-invalid=${problem ? 'true' : undefined} aria-describedby=${errId} />
    </label>`
  }
  return html`<li class="fn-edit-step" data-testid="funnel-step-editor">
    <fieldset>
      <legend class="fn-legend"><span class="fn-num" aria-hidden="true">${n}</span><span>${t('funnels.step_n', { n })}</span></legend>
      <div class="fn-step-tools">
        <button type="button" class="ghost small fn-icon" data-move=${`up-${i}`} onClick=${() => onMove(i, -1)} disabled=${i === 0}
          aria-label=${t('funnels.move_up', { n })} title=${t('funnels.move_up', { n })}>↑</button>
        <button type="button" class="ghost small fn-icon" data-move=${`down-${i}`} onClick=${() => onMove(i, 1)} disabled=${i === count - 1}
          aria-label=${t('funnels.move_down', { n })} title=${t('funnels.move_down', { n })}>↓</button>
        <button type="button" class="ghost small fn-icon" onClick=${() => onRemove(i)} disabled=${count <= MIN_STEPS}
          aria-label=${t('funnels.remove_step', { n })} title=${count <= MIN_STEPS ? t('funnels.min_steps') : t('funnels.remove_step', { n })}>✕</button>
      </div>
      <div class="fn-step-fields">
        <label>${t('funnels.field.kind')}
          <select value=${step.kind} onChange=${(e) => onChange({ ...blankStep(e.target.value, defs), name: step.name })} data-testid="funnel-step-kind">
            ${KINDS.map((k) => html`<option value=${k}>${t(`funnels.kind.${k}`)}</option>`)}
          </select>
        </label>
        ${valueField}
        <label>${t('funnels.field.name')}
          <input value=${step.name} onInput=${(e) => set({ name: e.target.value })} placeholder=${t('funnels.field.name_placeholder')} autocomplete="off" />
        </label>
      </div>
      ${step.kind === 'event'
        ? html`<div class="fn-props">
            ${step.props.map(
              ([k, v], j) => html`<div class="fn-prop" key=${j}>
                <label>${t('funnels.field.prop_key')}
                  <input value=${k} onInput=${(e) => set({ props: step.props.map((p, x) => (x === j ? [e.target.value, p[1]] : p)) })}
                    placeholder=${t('funnels.field.prop_key_placeholder')} autocomplete="off" spellcheck=${false} />
                </label>
                <span class="fn-eq" aria-hidden="true">=</span>
                <label>${t('funnels.field.prop_value')}
                  <input value=${v} onInput=${(e) => set({ props: step.props.map((p, x) => (x === j ? [p[0], e.target.value] : p)) })}
                    list=${j === 0 ? `${id}-propvals` : undefined} autocomplete="off" spellcheck=${false} />
                </label>
                <button type="button" class="ghost small fn-icon" onClick=${() => set({ props: step.props.filter((_, x) => x !== j) })}
                  aria-label=${t('funnels.remove_prop', { n })} title=${t('funnels.remove_prop', { n })}>✕</button>
              </div>`,
            )}
            ${!step.props.length
              ? html`<button type="button" class="link small" onClick=${() => set({ props: [['', '']] })}>+ ${t('funnels.add_prop')}</button>`
              : null}
            <datalist id=${`${id}-propvals`}>${propValues.map((v) => html`<option value=${v}></option>`)}</datalist>
          </div>`
        : null}
      ${problem ? html`<p class="fn-problem" id=${errId}>${problem}</p>` : null}
    </fieldset>
  </li>`
}

/**
 * draft: {name, window, steps}; editing: the saved name being edited, if any;
 * onChange(draft); onShow(); onSave(); onCancel(); busy: saving; error: the save error.
 */
export function Builder({ draft, editing, defs, onChange, onShow, onSave, onCancel, busy, error, canCancel }) {
  const [tried, setTried] = useState(null) // null, 'show' or 'save'
  const [said, say] = useState('') // what a screen reader hears after a move or removal
  const events = useSeen('event:name')
  const pages = useSeen('event:page')
  const probs = problems(draft)
  const nameMissing = tried === 'save' && !draft.name.trim()
  const stepProblem = (i) => (tried ? probs.find((p) => p.step === i)?.text : null)
  const setSteps = (steps) => onChange({ ...draft, steps })
  const move = (i, d) => {
    const j = i + d
    if (j < 0 || j >= draft.steps.length) return
    const steps = [...draft.steps]
    ;[steps[i], steps[j]] = [steps[j], steps[i]]
    setSteps(steps)
    say(t('funnels.moved', { n: j + 1 }))
    const dir = d < 0 ? 'up' : 'down'
    focusLater(`[data-move="${dir}-${j}"]`, `[data-move="${dir === 'up' ? 'down' : 'up'}-${j}"]`)
  }
  const remove = (i) => {
    setSteps(draft.steps.filter((_, x) => x !== i))
    say(t('funnels.removed', { n: i + 1 }))
    focusLater('#fn-add-step')
  }
  const add = () => {
    setSteps([...draft.steps, blankStep('page', defs)])
    focusLater(`#fn-step-${draft.steps.length}-value`)
  }
  const submit = (kind) => (e) => {
    e?.preventDefault()
    setTried(kind)
    if (probs.length) return focusLater('.fn-builder [aria-invalid="true"]', '.fn-problems')
    if (kind === 'save') {
      if (!draft.name.trim()) return focusLater('#fn-name')
      onSave()
    } else onShow()
  }
  return html`<section class="panel wide fn-builder" aria-labelledby="fn-builder-title" data-testid="funnel-builder">
    <header class="panel-head"><h2 id="fn-builder-title">${editing ? t('funnels.builder_edit', { name: editing }) : t('funnels.builder_new')}</h2></header>
    <form class="panel-body fn-form" onSubmit=${submit('show')} novalidate>
      <p class="hint fn-intro">${t('funnels.builder_intro')}</p>
      <div class="fn-top-fields">
        <label>${t('funnels.field.funnel_name')}
          <input id="fn-name" value=${draft.name} onInput=${(e) => onChange({ ...draft, name: e.target.value })} placeholder=${t('funnels.field.funnel_name_placeholder')}
            autocomplete="off" maxlength="120" aria-invalid=${nameMissing ? 'true' : undefined} aria-describedby=${nameMissing ? 'fn-name-err' : undefined} data-testid="funnel-name" />
          ${nameMissing ? html`<small class="fn-problem" id="fn-name-err">${t('funnels.invalid.name')}</small>` : null}
        </label>
        <label>${t('funnels.field.window')}
          <select value=${draft.window} onChange=${(e) => onChange({ ...draft, window: e.target.value })} aria-describedby="fn-window-hint" data-testid="funnel-window">
            ${!WINDOWS.includes(draft.window) ? html`<option value=${draft.window}>${draft.window}</option>` : null}
            ${WINDOWS.map((w) => html`<option value=${w}>${t(`funnels.window_opt.${w}`)}</option>`)}
          </select>
          <small class="hint" id="fn-window-hint">${t('funnels.field.window_hint')}</small>
        </label>
      </div>
      <ol class="fn-edit-steps" aria-label=${t('funnels.steps_label')}>
        ${draft.steps.map(
          (s, i) => html`<${StepEditor} key=${i} step=${s} i=${i} count=${draft.steps.length} defs=${defs}
            problem=${stepProblem(i)}
            onChange=${(next) => setSteps(draft.steps.map((x, j) => (j === i ? next : x)))}
            onMove=${move} onRemove=${remove} />`,
        )}
      </ol>
      <div class="fn-add-row">
        <button type="button" id="fn-add-step" class="ghost" onClick=${add} disabled=${draft.steps.length >= MAX_STEPS} data-testid="funnel-add-step">+ ${t('funnels.add_step')}</button>
        <span class="hint">${draft.steps.length >= MAX_STEPS ? t('funnels.max_steps') : t('funnels.steps_count', { count: draft.steps.length, max: MAX_STEPS })}</span>
      </div>
      <p class="sr-only" aria-live="polite">${said}</p>
      <datalist id="fn-events">${events.map((v) => html`<option value=${v}></option>`)}</datalist>
      <datalist id="fn-pages">${pages.map((v) => html`<option value=${v}></option>`)}</datalist>
      ${tried && probs.some((p) => p.step === null) ? html`<p class="fn-problems fn-problem" role="alert" tabindex="-1">${probs.filter((p) => p.step === null).map((p) => p.text).join(' ')}</p>` : null}
      ${tried && probs.length ? html`<p class="sr-only" role="alert">${t('funnels.invalid.summary', { count: probs.length })}</p>` : null}
      ${error ? html`<${ErrorNote} error=${error} />` : null}
      <div class="actions fn-form-actions">
        <button type="submit" class="primary" data-testid="funnel-show">${t('funnels.show')}</button>
        ${onSave ? html`<button type="button" onClick=${submit('save')} disabled=${busy} data-testid="funnel-save">${busy ? t('funnels.saving') : t('funnels.save')}</button>` : null}
        ${canCancel ? html`<button type="button" class="link" onClick=${onCancel}>${t('funnels.cancel')}</button>` : null}
      </div>
    </form>
  </section>`
}

