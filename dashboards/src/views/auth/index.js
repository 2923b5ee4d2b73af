/* The signed-out screens, each a centred card with the language switch: first run
   (create the server's owner), sign-in, an invitation to accept, and a shared link's
   password. A chunk of its own, loaded only when nobody is signed in. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { ErrorNote, Loading } from '../../components/states.js'
import { LangSwitch } from '../../components/lang.js'
import { t } from '../../i18n/index.js'
import { api, shareToken } from '../../api/client.js'
import { status, setup, endedNote, enter, openShare, inviteToken, start, MIN_PASSWORD } from '../../state/session.js'

function Card({ title, children, testid, wide }) {
  useEffect(() => {
    document.querySelector('.auth-card h1')?.focus()
  }, [title])
  return html`<main class="signin" id="main">
    <section class=${wide ? 'panel auth-card wide' : 'panel auth-card'} aria-labelledby="auth-title" data-testid=${testid}>
      <div class="auth-top">
        <div class="brand"><span class="logo" aria-hidden="true"></span><span>Parcours</span></div>
        <${LangSwitch} keepPage />
      </div>
      <h1 id="auth-title" tabindex="-1">${title}</h1>
      ${children}
    </section>
  </main>`
}

/** 429: "try again in N s" (Retry-After); 401: the generic wrong-credentials line. */
function AuthProblem({ error, unauthorized }) {
  if (!error) return null
  if (error.status === 429) {
    return html`<p class="form-problem" role="alert" data-testid="auth-problem">${error.retryAfter ? t('auth.too_many_wait', { seconds: error.retryAfter }) : t('auth.too_many')}</p>`
  }
  if (error.status === 401 && unauthorized) return html`<p class="form-problem" role="alert" data-testid="auth-problem">${unauthorized}</p>`
  if (error.status === 400) return html`<p class="form-problem" role="alert" data-testid="auth-problem">${t('auth.refused')} <code>${error.message}</code></p>`
  return html`<${ErrorNote} error=${error} />`
}

/** A new password typed twice, at least MIN_PASSWORD characters. */
function checkNew(password, again) {
  if (password.length < MIN_PASSWORD) return t('auth.password_short', { min: MIN_PASSWORD })
  if (password !== again) return t('auth.password_mismatch')
  return ''
}

function useForm(initial) {
  const [f, setF] = useState(initial)
  const set = (k) => (e) => setF((o) => ({ ...o, [k]: e.target.value }))
  return [f, set]
}

function SignIn() {
  const [f, set] = useForm({ email: '', password: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const submit = async (e) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      enter(await api.auth.login(f.email.trim(), f.password))
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return html`<${Card} title=${t('auth.signin_title')} testid="signin">
    ${endedNote.value ? html`<p class="callout-info" role="status">${t('auth.ended')}</p>` : null}
    <form class="auth-form" onSubmit=${submit}>
      <label>${t('auth.email')}<input type="email" autocomplete="username" value=${f.email} onInput=${set('email')} required data-testid="signin-email" /></label>
      <label>${t('auth.password')}<input type="password" autocomplete="current-password" value=${f.password} onInput=${set('password')} required data-testid="signin-password" /></label>
      <${AuthProblem} error=${error} unauthorized=${t('auth.wrong')} />
      <button type="submit" class="primary" disabled=${busy} data-testid="signin-submit">${busy ? t('action.working') : t('auth.signin')}</button>
    </form>
    <p class="hint">${t('auth.no_account')}</p>
  </${Card}>`
}

function FirstRun() {
  const s = setup.value || {}
  const [f, set] = useForm({ email: '', password: '', again: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const [problem, setProblem] = useState('')
  if (!s.allowed) {
    return html`<${Card} title=${t('auth.setup_title')} testid="setup-blocked">
      <p>${t('auth.setup_blocked')}</p>
      <pre class="snippet auth-code"><code>parcours users add EMAIL --owner</code></pre>
      <p>${t('auth.setup_blocked_local')}</p>
      <button type="button" class="ghost" onClick=${() => start()}>${t('auth.check_again')}</button>
    </${Card}>`
  }
  const submit = async (e) => {
    e.preventDefault()
    const p = checkNew(f.password, f.again)
    setProblem(p)
    if (p) return
    setBusy(true)
    setError(null)
    try {
      enter(await api.auth.setup(f.email.trim(), f.password))
    } catch (err) {
      // 409: somebody created the first account meanwhile; sign in instead.
      if (err.status === 409) return start()
      setError(err)
      setBusy(false)
    }
  }
  return html`<${Card} title=${t('auth.setup_title')} testid="setup">
    <p>${t('auth.setup_intro')}</p>
    <form class="auth-form" onSubmit=${submit}>
      <label>${t('auth.email')}<input type="email" autocomplete="username" value=${f.email} onInput=${set('email')} required data-testid="setup-email" /></label>
      <label>${t('auth.new_password')}<input type="password" autocomplete="new-password" value=${f.password} onInput=${set('password')} required aria-describedby="setup-rule" data-testid="setup-password" />
        <small class="hint" id="setup-rule">${t('auth.password_rule', { min: MIN_PASSWORD })}</small></label>
      <label>${t('auth.again')}<input type="password" autocomplete="new-password" value=${f.again} onInput=${set('again')} required data-testid="setup-again" /></label>
      ${problem ? html`<p class="form-problem" role="alert">${problem}</p>` : null}
      <${AuthProblem} error=${error} />
      <button type="submit" class="primary" disabled=${busy} data-testid="setup-submit">${busy ? t('action.working') : t('auth.setup_create')}</button>
    </form>
    <p class="hint">${t('auth.setup_after')}</p>
  </${Card}>`
}

function Invitation() {
  const token = inviteToken()
  const [offer, setOffer] = useState(null)
  const [loadError, setLoadError] = useState(null)
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  useEffect(() => {
    api.auth.invitation(token).then(setOffer, setLoadError)
  }, [token])
  if (loadError) {
    return html`<${Card} title=${t('auth.invite_invalid_title')} testid="invite-invalid">
      ${loadError.status === 400 || loadError.status === 404
        ? html`<p role="alert">${t('auth.invite_invalid')}</p>`
        : html`<${ErrorNote} error=${loadError} />`}
      <p><a href="/">${t('auth.go_signin')}</a></p>
    </${Card}>`
  }
  if (!offer) return html`<${Card} title=${t('auth.invite_title')} testid="invite-loading"><${Loading} lines=${2} /></${Card}>`
  const submit = async (e) => {
    e.preventDefault()
    // Every account's password has at least MIN_PASSWORD characters, new or not.
    if (password.length < MIN_PASSWORD) return setError({ status: 'short' })
    setBusy(true)
    setError(null)
    try {
      enter(await api.auth.accept(token, password), offer.site)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return html`<${Card} title=${t('auth.invite_title')} testid="invite">
    <p>${t('auth.invite_intro')}</p>
    <dl class="auth-facts" data-testid="invite-offer">
      <div><dt>${t('auth.invite_site')}</dt><dd><strong>${offer.site}</strong></dd></div>
      <div><dt>${t('auth.invite_role')}</dt><dd>${t(`role.${offer.role}`)}<span class="hint"> · ${t(`role_can.${offer.role}`)}</span></dd></div>
      <div><dt>${t('auth.email')}</dt><dd>${offer.email}</dd></div>
    </dl>
    <form class="auth-form" onSubmit=${submit}>
      <label>${t('auth.password')}<input type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} required aria-describedby="invite-hint" data-testid="invite-password" />
        <small class="hint" id="invite-hint">${t('auth.invite_password_hint', { min: MIN_PASSWORD })}</small></label>
      ${error?.status === 'short'
        ? html`<p class="form-problem" role="alert" data-testid="auth-problem">${t('auth.password_short', { min: MIN_PASSWORD })}</p>`
        : error?.status === 400 && /invitation/i.test(error.message)
          ? html`<p class="form-problem" role="alert" data-testid="auth-problem">${t('auth.invite_invalid')}</p>`
          : html`<${AuthProblem} error=${error} unauthorized=${t('auth.invite_wrong')} />`}
      <button type="submit" class="primary" disabled=${busy} data-testid="invite-accept">${busy ? t('action.working') : t('auth.invite_accept')}</button>
    </form>
  </${Card}>`
}

function SharedLink() {
  const [state, setState] = useState('opening') // opening | password | invalid | error
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const tried = useRef(false)
  const open = async (pw) => {
    setBusy(true)
    setError(null)
    try {
      await openShare(pw)
    } catch (err) {
      setBusy(false)
      if (err.status === 401 && err.body?.password_required) {
        setState('password')
        if (pw) setError(err)
      } else if (err.status === 404 || err.status === 400) setState('invalid')
      else {
        setState(state === 'opening' ? 'error' : state)
        setError(err)
      }
    }
  }
  useEffect(() => {
    if (tried.current) return
    tried.current = true
    open('')
  }, [])
  if (state === 'opening') return html`<${Card} title=${t('auth.share_title')} testid="share-opening"><${Loading} lines=${2} /></${Card}>`
  if (state === 'invalid') {
    return html`<${Card} title=${t('auth.share_invalid_title')} testid="share-invalid">
      <p role="alert">${t('auth.share_invalid')}</p>
    </${Card}>`
  }
  if (state === 'error') {
    return html`<${Card} title=${t('auth.share_title')} testid="share-error">
      <${ErrorNote} error=${error} onRetry=${() => open('')} />
    </${Card}>`
  }
  return html`<${Card} title=${t('auth.share_title')} testid="share-password">
    <p>${t('auth.share_password_intro')}</p>
    <form class="auth-form" onSubmit=${(e) => {
      e.preventDefault()
      open(password)
    }}>
      <label>${t('auth.password')}<input type="password" autocomplete="off" value=${password} onInput=${(e) => setPassword(e.target.value)} required data-testid="share-password-input" /></label>
      <${AuthProblem} error=${error} unauthorized=${t('auth.share_wrong')} />
      <button type="submit" class="primary" disabled=${busy} data-testid="share-open">${busy ? t('action.working') : t('auth.share_open')}</button>
    </form>
  </${Card}>`
}

/** The screen for where the page stands (session.js's `status`). */
export function Auth() {
  const s = status.value
  if (s === 'setup') return html`<${FirstRun} />`
  if (s === 'invite') return html`<${Invitation} />`
  if (s === 'share' && shareToken()) return html`<${SharedLink} />`
  return html`<${SignIn} />`
}
