import{a as N}from"./chunk-Q7JTJ7B4.js";import{b as l}from"./chunk-F7MP2QNA.js";import{d as y,u as p}from"./chunk-E4ANYN7J.js";import{F as x,H as S,b as i,c as o,d as h,e as v,f as _,m as n,o as a,y as b}from"./chunk-IA5JBKF2.js";function f({title:t,children:e}){return i`<header class="settings-head">
    <h1 id="settings-h" tabindex="-1">${t}</h1>
    ${e?i`<p class="settings-intro">${e}</p>`:null}
  </header>`}function M({need:t="owner"}){return i`<p class="callout-info" data-testid="read-only">${n(t==="editor"?"settings.read_only_editor":"settings.read_only_owner")}</p>`}function P(){document.getElementById("settings-h")?.focus()}function R({msg:t}){return i`<div class="notice-slot" role="status" aria-live="polite" data-testid="notice">
    ${t?i`<p class="notice"><span aria-hidden="true">✓ </span>${t}</p>`:null}
  </div>`}function Z(){let[t,e]=o(""),s=v();h(()=>()=>clearTimeout(s.current),[]);let c=_(u=>{clearTimeout(s.current),e(u),s.current=setTimeout(()=>e(""),1e4)},[]);return[t,c]}function $({error:t,onRetry:e}){return t?t.status===400?i`<div class="error-note" role="alert">
      <strong>${n("settings.refused")}</strong>
      <span>${n("settings.refused_reason")} <code>${t.message}</code></span>
    </div>`:i`<${S} error=${t} onRetry=${e} />`:null}function q(t){return i`<${N} ...${t} Problem=${$} afterConfirm=${P} />`}function F(t,{commas:e=!1}={}){return String(t||"").split(e?/[\n,]/:/\n/).map(s=>s.trim()).filter(Boolean)}var D=t=>String(t).padStart(2,"0");function U(t){let e=new Date(t);return!t||Number.isNaN(e.getTime())?"\u2013":new Date().toDateString()===e.toDateString()?a.time(t):`${a.day(`${e.getFullYear()}-${D(e.getMonth()+1)}-${D(e.getDate())}`)} ${a.time(t)}`}function V(t,e=Date.now()){let s=new Date(t).getTime();return Number.isNaN(s)?"\u2013":a.duration(Math.max(0,(e-s)/1e3))}function C(){try{return Intl.supportedValuesOf("timeZone")}catch{return["Europe/Paris","UTC"]}}function z(){try{return Intl.DateTimeFormat().resolvedOptions().timeZone||"Europe/Paris"}catch{return"Europe/Paris"}}function E(){let[t,e]=o(""),[s,c]=o(z),[u,g]=o(!1),[T,w]=o(null),d=C();return i`<form class="settings-form" onSubmit=${async r=>{r.preventDefault(),g(!0),w(null);try{let m=await x.sites.create(t.trim(),s);await y(),b({site:m.domain||m.site_id||t.trim(),view:"settings",filters:[],extra:{}},{keepExtra:!1})}catch(m){w(m),g(!1)}}} data-testid="site-form">
    <label>${n("settings.new_site.domain")}
      <input value=${t} onInput=${r=>e(r.target.value)} required autocomplete="off" spellcheck=${!1} placeholder="clinique-exemple.fr" aria-describedby="new-site-domain-hint" data-testid="new-site-domain" />
      <small class="hint" id="new-site-domain-hint">${n("settings.new_site.domain_hint")}</small>
    </label>
    <label>${n("settings.new_site.tz")}
      <select value=${s} onChange=${r=>c(r.target.value)} data-testid="new-site-tz">
        ${(d.includes(s)?d:[s,...d]).map(r=>i`<option value=${r}>${r}</option>`)}
      </select>
      <small class="hint">${n("settings.new_site.tz_hint")}</small>
    </label>
    <${$} error=${T} />
    <div class="actions"><button type="submit" class="primary" disabled=${u} data-testid="new-site-create">${u?n("settings.working"):n("settings.new_site.create")}</button></div>
  </form>`}function et(){return i`<div class="settings-section">
    <${f} title=${n("settings.new_site.title")}>${n("settings.new_site.intro")}</${f}>
    <${l} id="new-site" title=${n("settings.new_site.form")}><${E} /></${l}>
  </div>`}function nt(){return i`<div class="view settings no-sites" data-testid="no-sites">
    <div class="panel callout">
      <h1>${n("settings.new_site.none_title")}</h1>
      <p>${p()?n("settings.new_site.none_owner"):n("settings.new_site.none_member")}</p>
    </div>
    ${p()?i`<${l} id="new-site" title=${n("settings.new_site.form")}><${E} /></${l}>`:null}
  </div>`}export{f as a,M as b,R as c,Z as d,$ as e,q as f,F as g,U as h,V as i,E as j,et as k,nt as l};
