import{H as x,b as r,c,d as p,e as u,g as b,n as s,p as d}from"./chunk-BPL272P3.js";function H({title:t,children:e}){return r`<header class="settings-head">
    <h1 id="settings-h" tabindex="-1">${t}</h1>
    ${e?r`<p class="settings-intro">${e}</p>`:null}
  </header>`}function D(){document.getElementById("settings-h")?.focus()}function h({text:t,what:e,primary:n}){let[i,a]=c(""),o=u();return p(()=>()=>clearTimeout(o.current),[]),r`<span class="copy">
    <button type="button" class=${n?"primary small":"small"} onClick=${async()=>{clearTimeout(o.current);try{await navigator.clipboard.writeText(t),a("copied")}catch{a("failed")}o.current=setTimeout(()=>a(""),4e3)}}>
      ${i==="copied"?s("settings.copied"):s("settings.copy")}${e?r`<span class="sr-only"> ${e}</span>`:null}
    </button>
    <span class=${i==="failed"?"hint warn":"sr-only"} role="status" aria-live="polite">
      ${i==="copied"?s("settings.copied_sr"):i==="failed"?s("settings.copy_failed"):""}
    </span>
  </span>`}function O({msg:t}){return r`<div class="notice-slot" role="status" aria-live="polite" data-testid="notice">
    ${t?r`<p class="notice"><span aria-hidden="true">✓ </span>${t}</p>`:null}
  </div>`}function P(){let[t,e]=c(""),n=u();p(()=>()=>clearTimeout(n.current),[]);let i=b(a=>{clearTimeout(n.current),e(a),n.current=setTimeout(()=>e(""),1e4)},[]);return[t,i]}function B({error:t,onRetry:e}){return t?t.status===400?r`<div class="error-note" role="alert">
      <strong>${s("settings.refused")}</strong>
      <span>${s("settings.refused_reason")} <code>${t.message}</code></span>
    </div>`:r`<${x} error=${t} onRetry=${e} />`:null}function U({title:t,children:e}){return r`<div class="panel callout settings-unavailable" data-testid="unavailable">
    <h2>${t}</h2>
    ${e}
  </div>`}var k=0;function A({title:t,confirmLabel:e,onConfirm:n,onClose:i,children:a}){let o=u(),[l]=c(()=>`confirm-${++k}`),[m,f]=c(!1),[w,$]=c(null),g=u(!1);p(()=>{o.current?.showModal?.()},[]);let S=()=>{i(),g.current&&setTimeout(D,0)},T=async N=>{N.preventDefault(),f(!0),$(null);try{await n(),g.current=!0,o.current?.close()}catch(C){$(C),f(!1)}};return r`<dialog ref=${o} class="dialog" onClose=${S} aria-labelledby=${l+"-t"} aria-describedby=${l+"-d"} data-testid="confirm">
    <form onSubmit=${T}>
      <h2 id=${l+"-t"}>${t}</h2>
      <div id=${l+"-d"} class="dialog-body">${a}</div>
      <${B} error=${w} />
      <div class="dialog-actions">
        <button type="button" class="ghost" autofocus onClick=${()=>o.current?.close()}>${s("action.cancel")}</button>
        <button type="submit" class="danger" disabled=${m}>${m?s("settings.working"):e}</button>
      </div>
    </form>
  </dialog>`}function F(t,{commas:e=!1}={}){return String(t||"").split(e?/[\n,]/:/\n/).map(n=>n.trim()).filter(Boolean)}var y=t=>String(t).padStart(2,"0");function Y(t){let e=new Date(t);return!t||Number.isNaN(e.getTime())?"\u2013":new Date().toDateString()===e.toDateString()?d.time(t):`${d.day(`${e.getFullYear()}-${y(e.getMonth()+1)}-${y(e.getDate())}`)} ${d.time(t)}`}function z(t,e=Date.now()){let n=new Date(t).getTime();return Number.isNaN(n)?"\u2013":d.duration(Math.max(0,(e-n)/1e3))}var G=t=>t?.status===404||t?.status===405||t?.status===501;var v=t=>String(t).replace(/&/g,"&amp;").replace(/"/g,"&quot;"),E=["outbound","tel","downloads","forms","hash","respect-dnt"];function M(t,e={}){let n=location.origin,i=E.filter(o=>e[o]).map(o=>` data-${o}`).join(""),a=(e.exclude||"").trim()?` data-exclude="${v(e.exclude.trim())}"`:"";return`<script defer data-domain="${v(t)}"${i}${a} src="${n}/js/parcours.js"><\/script>`}function V(t){return`<noscript><img src="${location.origin}/api/event?d=${encodeURIComponent(t)}" referrerpolicy="no-referrer-when-downgrade" alt=""></noscript>`}function _({text:t,label:e,testid:n}){return r`<div class="snippet-box">
    <pre class="snippet" data-testid=${n}><code>${t}</code></pre>
    <${h} text=${t} what=${e} />
  </div>`}function W({domain:t,opts:e}){return r`<${_} text=${M(t||"example.org",e)} label=${s("settings.site.snippet_label")} testid="snippet" />`}export{H as a,h as b,O as c,P as d,B as e,U as f,A as g,F as h,Y as i,z as j,G as k,E as l,V as m,_ as n,W as o};
