import{b as i,c as a,d as p,e as l,m as r}from"./chunk-IA5JBKF2.js";function d({text:t,what:e,primary:s}){let[n,c]=a(""),o=l();return p(()=>()=>clearTimeout(o.current),[]),i`<span class="copy">
    <button type="button" class=${s?"primary small":"small"} onClick=${async()=>{clearTimeout(o.current);try{await navigator.clipboard.writeText(t),c("copied")}catch{c("failed")}o.current=setTimeout(()=>c(""),4e3)}}>
      ${n==="copied"?r("settings.copied"):r("settings.copy")}${e?i`<span class="sr-only"> ${e}</span>`:null}
    </button>
    <span class=${n==="failed"?"hint warn":"sr-only"} role="status" aria-live="polite">
      ${n==="copied"?r("settings.copied_sr"):n==="failed"?r("settings.copy_failed"):""}
    </span>
  </span>`}var u=t=>String(t).replace(/&/g,"&amp;").replace(/"/g,"&quot;"),m=["outbound","tel","downloads","forms","hash","respect-dnt"];function f(t,e={}){let s=location.origin,n=m.filter(o=>e[o]).map(o=>` data-${o}`).join(""),c=(e.exclude||"").trim()?` data-exclude="${u(e.exclude.trim())}"`:"";return`<script defer data-domain="${u(t)}"${n}${c} src="${s}/js/parcours.js"><\/script>`}function S(t){return`<noscript><img src="${location.origin}/api/event?d=${encodeURIComponent(t)}" referrerpolicy="no-referrer-when-downgrade" alt=""></noscript>`}function $({text:t,label:e,testid:s}){return i`<div class="snippet-box">
    <pre class="snippet" data-testid=${s}><code>${t}</code></pre>
    <${d} text=${t} what=${e} />
  </div>`}function T({domain:t,opts:e}){return i`<${$} text=${f(t||"example.org",e)} label=${r("settings.site.snippet_label")} testid="snippet" />`}export{d as a,m as b,S as c,$ as d,T as e};
