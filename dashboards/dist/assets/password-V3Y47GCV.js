import{q as s}from"./chunk-E4ANYN7J.js";import{F as g,H as h,b as e,c as o,d as b,e as f,m as t}from"./chunk-IA5JBKF2.js";function k({onClose:y}){let n=f(),[r,_]=o({current:"",next:"",again:""}),[d,m]=o(!1),[a,w]=o(null),[$,l]=o(""),[u,v]=o(!1);b(()=>{n.current?.showModal?.()},[]);let c=i=>p=>_({...r,[i]:p.target.value});return e`<dialog ref=${n} class="dialog" onClose=${y} aria-labelledby="pw-title" data-testid="password-dialog">
    <form onSubmit=${async i=>{if(i.preventDefault(),u)return n.current?.close();if(r.next.length<s)return l(t("auth.password_short",{min:s}));if(r.next!==r.again)return l(t("auth.password_mismatch"));l(""),m(!0),w(null);try{await g.auth.password(r.current,r.next),v(!0)}catch(p){w(p)}m(!1)}}>
      <h2 id="pw-title">${t("account.password_title")}</h2>
      ${u?e`<p role="status">${t("account.password_done")}</p>`:e`<label>${t("account.current")}<input type="password" autocomplete="current-password" value=${r.current} onInput=${c("current")} required data-testid="pw-current" /></label>
          <label>${t("account.new")}<input type="password" autocomplete="new-password" minlength=${s} value=${r.next} onInput=${c("next")} required aria-describedby="pw-hint" data-testid="pw-new" />
            <small class="hint" id="pw-hint">${t("auth.password_rule",{min:s})}</small></label>
          <label>${t("account.again")}<input type="password" autocomplete="new-password" value=${r.again} onInput=${c("again")} required data-testid="pw-again" /></label>
          <p class="hint">${t("account.password_others")}</p>
          ${$?e`<p class="form-problem" role="alert">${$}</p>`:null}
          ${a?a.status===401||a.status===403?e`<p class="form-problem" role="alert">${t("account.current_wrong")}</p>`:a.status===400?e`<p class="form-problem" role="alert">${t("account.password_refused")} <code>${a.message}</code></p>`:e`<${h} error=${a} />`:null}`}
      <div class="dialog-actions">
        ${u?e`<button type="submit" class="primary">${t("action.close")}</button>`:e`<button type="button" class="ghost" onClick=${()=>n.current?.close()}>${t("action.cancel")}</button>
            <button type="submit" class="primary" disabled=${d}>${d?t("action.working"):t("account.password_save")}</button>`}
      </div>
    </form>
  </dialog>`}export{k as PasswordDialog};
