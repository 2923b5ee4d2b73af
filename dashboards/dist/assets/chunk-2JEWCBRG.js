import{h as L,p as S}from"./chunk-BKVFPTPJ.js";import{F as E,H as _,b as e,c as l,d as v,e as f,h as x,i as y,k,m as t,y as C}from"./chunk-DISHCL7X.js";var w=10;function D({onClose:n}){let a=f(),[s,b]=l({current:"",next:"",again:""}),[d,m]=l(!1),[r,$]=l(null),[o,c]=l(""),[u,p]=l(!1);v(()=>{a.current?.showModal?.()},[]);let i=g=>h=>b({...s,[g]:h.target.value});return e`<dialog ref=${a} class="dialog" onClose=${n} aria-labelledby="pw-title" data-testid="password-dialog">
    <form onSubmit=${async g=>{if(g.preventDefault(),u)return a.current?.close();if(s.next.length<w)return c(t("auth.password_short",{min:w}));if(s.next!==s.again)return c(t("auth.password_mismatch"));c(""),m(!0),$(null);try{await E.auth.password(s.current,s.next),p(!0)}catch(h){$(h)}m(!1)}}>
      <h2 id="pw-title">${t("account.password_title")}</h2>
      ${u?e`<p role="status">${t("account.password_done")}</p>`:e`<label>${t("account.current")}<input type="password" autocomplete="current-password" value=${s.current} onInput=${i("current")} required data-testid="pw-current" /></label>
          <label>${t("account.new")}<input type="password" autocomplete="new-password" minlength=${w} value=${s.next} onInput=${i("next")} required aria-describedby="pw-hint" data-testid="pw-new" />
            <small class="hint" id="pw-hint">${t("auth.password_rule",{min:w})}</small></label>
          <label>${t("account.again")}<input type="password" autocomplete="new-password" value=${s.again} onInput=${i("again")} required data-testid="pw-again" /></label>
          <p class="hint">${t("account.password_others")}</p>
          ${o?e`<p class="form-problem" role="alert">${o}</p>`:null}
          ${r?r.status===401||r.status===403?e`<p class="form-problem" role="alert">${t("account.current_wrong")}</p>`:r.status===400?e`<p class="form-problem" role="alert">${t("account.password_refused")} <code>${r.message}</code></p>`:e`<${_} error=${r} />`:null}`}
      <div class="dialog-actions">
        ${u?e`<button type="submit" class="primary">${t("action.close")}</button>`:e`<button type="button" class="ghost" onClick=${()=>a.current?.close()}>${t("action.cancel")}</button>
            <button type="submit" class="primary" disabled=${d}>${d?t("action.working"):t("account.password_save")}</button>`}
      </div>
    </form>
  </dialog>`}function U(){let[n,a]=l(!1),[s,b]=l(!1),[d,m]=l(null),r=f(),$=f();v(()=>{if(!n)return;let u=i=>{r.current?.contains(i.target)||a(!1)},p=i=>{i.key==="Escape"&&(i.preventDefault(),a(!1),$.current?.focus())};return addEventListener("pointerdown",u),addEventListener("keydown",p),()=>{removeEventListener("pointerdown",u),removeEventListener("keydown",p)}},[n]);let o=L.value?.user||{},c=async u=>{m(null);try{await S(u)}catch(p){m(p)}};return e`<div class="user-menu" ref=${r}>
    <button type="button" ref=${$} class="ghost small user-button" title=${o.email} aria-expanded=${n?"true":"false"} aria-controls="user-menu-list"
      onClick=${()=>a(!n)} data-testid="user-menu">
      <span class="avatar" aria-hidden="true">${(o.email||"?").slice(0,1).toUpperCase()}</span>
      <span class="user-email" aria-hidden="true">${o.email}</span>
      <span class="sr-only">${t("account.menu_of",{email:o.email})}</span>
    </button>
    ${n?e`<div class="user-list" id="user-menu-list">
          <p class="user-who"><span class="hint">${t("account.signed_in_as")}</span><br /><strong>${o.email}</strong>
            ${o.server_owner?e`<br /><span class="badge">${t("account.server_owner")}</span>`:null}</p>
          <button type="button" class="menu-item" onClick=${()=>{a(!1),b(!0)}} data-testid="change-password">${t("account.password_title")}</button>
          <button type="button" class="menu-item" onClick=${()=>c(!1)} data-testid="sign-out">${t("account.sign_out")}</button>
          <button type="button" class="menu-item" onClick=${()=>c(!0)} data-testid="sign-out-everywhere">${t("account.sign_out_everywhere")}</button>
          ${d?e`<${_} error=${d} />`:null}
        </div>`:null}
    ${s?e`<${D} onClose=${()=>b(!1)} />`:null}
  </div>`}function W({keepPage:n=!1}){return e`<div class="lang" role="group" aria-label=${t("lang.label")}>
    ${x.map(a=>e`<button type="button" lang=${a} class=${y.value===a?"tab on":"tab"} aria-pressed=${y.value===a?"true":"false"}
        onClick=${async()=>{if(await k(a),n){let s=new URL(location.href);s.searchParams.set("lang",a),history.replaceState(null,"",s.pathname+s.search+s.hash)}else C({lang:a},{replace:!0})}}>${t(`lang.${a}`)}</button>`)}
  </div>`}export{w as a,U as b,W as c};
