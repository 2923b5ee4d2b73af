import{a as B}from"./chunk-5Z27WMTH.js";import{g as E,j as P,k as A,l as D,m as k,n as _,o as L,q as f}from"./chunk-E4ANYN7J.js";import{D as q,F as v,G as S,H as g,b as s,c as i,d as w,e as I,m as t}from"./chunk-IA5JBKF2.js";function r({title:e,children:a,testid:n,wide:o}){return w(()=>{document.querySelector(".auth-card h1")?.focus()},[e]),s`<main class="signin" id="main">
    <section class=${o?"panel auth-card wide":"panel auth-card"} aria-labelledby="auth-title" data-testid=${n}>
      <div class="auth-top">
        <div class="brand"><span class="logo" aria-hidden="true"></span><span>Parcours</span></div>
        <${B} keepPage />
      </div>
      <h1 id="auth-title" tabindex="-1">${e}</h1>
      ${a}
    </section>
  </main>`}function y({error:e,unauthorized:a}){return e?e.status===429?s`<p class="form-problem" role="alert" data-testid="auth-problem">${e.retryAfter?t("auth.too_many_wait",{seconds:e.retryAfter}):t("auth.too_many")}</p>`:e.status===401&&a?s`<p class="form-problem" role="alert" data-testid="auth-problem">${a}</p>`:e.status===400?s`<p class="form-problem" role="alert" data-testid="auth-problem">${t("auth.refused")} <code>${e.message}</code></p>`:s`<${g} error=${e} />`:null}function F(e,a){return e.length<f?t("auth.password_short",{min:f}):e!==a?t("auth.password_mismatch"):""}function N(e){let[a,n]=i(e);return[a,d=>u=>n(p=>({...p,[d]:u.target.value}))]}function x(){let[e,a]=N({email:"",password:""}),[n,o]=i(!1),[d,u]=i(null),p=async c=>{c.preventDefault(),o(!0),u(null);try{_(await v.auth.login(e.email.trim(),e.password))}catch(m){u(m),o(!1)}};return s`<${r} title=${t("auth.signin_title")} testid="signin">
    ${A.value?s`<p class="callout-info" role="status">${t("auth.ended")}</p>`:null}
    <form class="auth-form" onSubmit=${p}>
      <label>${t("auth.email")}<input type="email" autocomplete="username" value=${e.email} onInput=${a("email")} required data-testid="signin-email" /></label>
      <label>${t("auth.password")}<input type="password" autocomplete="current-password" value=${e.password} onInput=${a("password")} required data-testid="signin-password" /></label>
      <${y} error=${d} unauthorized=${t("auth.wrong")} />
      <button type="submit" class="primary" disabled=${n} data-testid="signin-submit">${n?t("action.working"):t("auth.signin")}</button>
    </form>
    <p class="hint">${t("auth.no_account")}</p>
  </${r}>`}function z(){let e=P.value||{},[a,n]=N({email:"",password:"",again:""}),[o,d]=i(!1),[u,p]=i(null),[c,m]=i("");if(!e.allowed)return s`<${r} title=${t("auth.setup_title")} testid="setup-blocked">
      <p>${t("auth.setup_blocked")}</p>
      <pre class="snippet auth-code"><code>parcours users add EMAIL --owner</code></pre>
      <p>${t("auth.setup_blocked_local")}</p>
      <button type="button" class="ghost" onClick=${()=>k()}>${t("auth.check_again")}</button>
    </${r}>`;let h=async l=>{l.preventDefault();let $=F(a.password,a.again);if(m($),!$){d(!0),p(null);try{_(await v.auth.setup(a.email.trim(),a.password))}catch(b){if(b.status===409)return k();p(b),d(!1)}}};return s`<${r} title=${t("auth.setup_title")} testid="setup">
    <p>${t("auth.setup_intro")}</p>
    <form class="auth-form" onSubmit=${h}>
      <label>${t("auth.email")}<input type="email" autocomplete="username" value=${a.email} onInput=${n("email")} required data-testid="setup-email" /></label>
      <label>${t("auth.new_password")}<input type="password" autocomplete="new-password" value=${a.password} onInput=${n("password")} required aria-describedby="setup-rule" data-testid="setup-password" />
        <small class="hint" id="setup-rule">${t("auth.password_rule",{min:f})}</small></label>
      <label>${t("auth.again")}<input type="password" autocomplete="new-password" value=${a.again} onInput=${n("again")} required data-testid="setup-again" /></label>
      ${c?s`<p class="form-problem" role="alert">${c}</p>`:null}
      <${y} error=${u} />
      <button type="submit" class="primary" disabled=${o} data-testid="setup-submit">${o?t("action.working"):t("auth.setup_create")}</button>
    </form>
    <p class="hint">${t("auth.setup_after")}</p>
  </${r}>`}function C(){let e=D(),[a,n]=i(null),[o,d]=i(null),[u,p]=i(""),[c,m]=i(!1),[h,l]=i(null);if(w(()=>{v.auth.invitation(e).then(n,d)},[e]),o)return s`<${r} title=${t("auth.invite_invalid_title")} testid="invite-invalid">
      ${o.status===400||o.status===404?s`<p role="alert">${t("auth.invite_invalid")}</p>`:s`<${g} error=${o} />`}
      <p><a href="/">${t("auth.go_signin")}</a></p>
    </${r}>`;if(!a)return s`<${r} title=${t("auth.invite_title")} testid="invite-loading"><${S} lines=${2} /></${r}>`;let $=async b=>{if(b.preventDefault(),u.length<f)return l({status:"short"});m(!0),l(null);try{_(await v.auth.accept(e,u),a.site)}catch(R){l(R),m(!1)}};return s`<${r} title=${t("auth.invite_title")} testid="invite">
    <p>${t("auth.invite_intro")}</p>
    <dl class="auth-facts" data-testid="invite-offer">
      <div><dt>${t("auth.invite_site")}</dt><dd><strong>${a.site}</strong></dd></div>
      <div><dt>${t("auth.invite_role")}</dt><dd>${t(`role.${a.role}`)}<span class="hint"> · ${t(`role_can.${a.role}`)}</span></dd></div>
      <div><dt>${t("auth.email")}</dt><dd>${a.email}</dd></div>
    </dl>
    <form class="auth-form" onSubmit=${$}>
      <label>${t("auth.password")}<input type="password" autocomplete="current-password" value=${u} onInput=${b=>p(b.target.value)} required aria-describedby="invite-hint" data-testid="invite-password" />
        <small class="hint" id="invite-hint">${t("auth.invite_password_hint",{min:f})}</small></label>
      ${h?.status==="short"?s`<p class="form-problem" role="alert" data-testid="auth-problem">${t("auth.password_short",{min:f})}</p>`:h?.status===400&&/invitation/i.test(h.message)?s`<p class="form-problem" role="alert" data-testid="auth-problem">${t("auth.invite_invalid")}</p>`:s`<${y} error=${h} unauthorized=${t("auth.invite_wrong")} />`}
      <button type="submit" class="primary" disabled=${c} data-testid="invite-accept">${c?t("action.working"):t("auth.invite_accept")}</button>
    </form>
  </${r}>`}function M(){let[e,a]=i("opening"),[n,o]=i(""),[d,u]=i(!1),[p,c]=i(null),m=I(!1),h=async l=>{u(!0),c(null);try{await L(l)}catch($){u(!1),$.status===401&&$.body?.password_required?(a("password"),l&&c($)):$.status===404||$.status===400?a("invalid"):(a(e==="opening"?"error":e),c($))}};return w(()=>{m.current||(m.current=!0,h(""))},[]),e==="opening"?s`<${r} title=${t("auth.share_title")} testid="share-opening"><${S} lines=${2} /></${r}>`:e==="invalid"?s`<${r} title=${t("auth.share_invalid_title")} testid="share-invalid">
      <p role="alert">${t("auth.share_invalid")}</p>
    </${r}>`:e==="error"?s`<${r} title=${t("auth.share_title")} testid="share-error">
      <${g} error=${p} onRetry=${()=>h("")} />
    </${r}>`:s`<${r} title=${t("auth.share_title")} testid="share-password">
    <p>${t("auth.share_password_intro")}</p>
    <form class="auth-form" onSubmit=${l=>{l.preventDefault(),h(n)}}>
      <label>${t("auth.password")}<input type="password" autocomplete="off" value=${n} onInput=${l=>o(l.target.value)} required data-testid="share-password-input" /></label>
      <${y} error=${p} unauthorized=${t("auth.share_wrong")} />
      <button type="submit" class="primary" disabled=${d} data-testid="share-open">${d?t("action.working"):t("auth.share_open")}</button>
    </form>
  </${r}>`}function K(){let e=E.value;return e==="setup"?s`<${z} />`:e==="invite"?s`<${C} />`:e==="share"&&q()?s`<${M} />`:s`<${x} />`}export{K as Auth};
