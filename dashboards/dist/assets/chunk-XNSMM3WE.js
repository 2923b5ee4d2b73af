import{a as C}from"./chunk-5LA5JELA.js";import{B as x,F as W,b as r,c as p,d as v,e as F,m as l,q as D,r as E,s as A,t as L,x as y,y as m}from"./chunk-IA5JBKF2.js";function k(t){return t.startsWith("props:")?l("dim.prop",{key:t.slice(6)}):l(`dim.${t}`)}function K(t,n){let s=y.value.filters.filter(o=>!(o.dim===t&&o.op==="is"));m({filters:[...s,{op:"is",dim:t,values:[n]}]})}function j(t){let n=t.values.map(s=>t.op.startsWith("is")?C(t.dim,s):s).join(l("filter.or"));return r`<span class="chip-dim">${k(t.dim)}</span> <span class="chip-op">${l(`op.${t.op}`)}</span> <span class="chip-val">${n}</span>`}function N({filters:t,label:n}){let s=(t||[]).filter(o=>Array.isArray(o)&&o.length>=3);return s.length?r`<p class="fixed-filters" data-testid="fixed-filters"><span>${n||l("filter.fixed")}</span>
    ${s.map(([o,i,a])=>r`<span class="chip fixed">${j({op:o,dim:A(String(i)),values:[].concat(a).map(String)})}</span>`)}
  </p>`:null}function Q(){let t=y.value.filters,[n,s]=p(null),o=i=>m({filters:t.filter((a,c)=>c!==i)});return r`<div class="filter-bar" role="group" aria-label=${l("filter.bar")}>
    ${t.map((i,a)=>r`<span class="chip" data-testid="filter-chip">
        <button type="button" class="chip-edit" onClick=${()=>s(a)} title=${l("filter.edit")}><span class="sr-only">${l("filter.edit_prefix")} </span>${j(i)}</button>
        <button type="button" class="chip-x" onClick=${()=>o(a)} aria-label=${l("filter.remove_named",{name:k(i.dim)})}>×</button>
      </span>`)}
    <button type="button" class="ghost small" onClick=${()=>s("new")}>+ ${l("filter.add")}</button>
    ${t.length?r`<button type="button" class="link small" onClick=${()=>m({filters:[]})} title=${l("filter.clear_hint")}>${l("filter.clear")}</button>`:null}
    ${n!==null?r`<${R} initial=${n==="new"?null:t[n]} onClose=${()=>s(null)}
          onSave=${i=>{let a=[...t];n==="new"?a.push(i):a[n]=i,m({filters:a}),s(null)}} />`:null}
  </div>`}function R({initial:t,onSave:n,onClose:s}){let o=F(),[i,a]=p(t?.dim||"page"),[c,q]=p(t?.op||"is"),[$,S]=p(t?t.values.join(`
`):""),[d,B]=p(t?.dim?.startsWith("props:")?t.dim.slice(6):""),[_,b]=p([]);v(()=>{o.current?.showModal?.()},[]);let u=i==="props"?d?`props:${d}`:"":i;v(()=>{let e=u&&E(u);if(!e)return b([]);let w=new AbortController,P=x.value.filters.filter(g=>g[1]!==e);return W.query({...x.value,filters:P,metrics:["visitors"],dimensions:[e],pagination:{limit:50}},{signal:w.signal}).then(g=>b(g.results.map(h=>h.dimensions[0]).filter(h=>h!=="(other)"))).catch(()=>b([])),()=>w.abort()},[u]);let f=$.split(`
`).map(e=>e.trim()).filter(Boolean),I=e=>{e.preventDefault(),!(!u||!f.length)&&n({op:c,dim:u,values:f})},O=[...D,"props"];return r`<dialog ref=${o} class="dialog" onClose=${s} aria-labelledby="filter-title">
    <form onSubmit=${I}>
      <h2 id="filter-title">${t?l("filter.edit"):l("filter.add")}</h2>
      <label>${l("filter.dimension")}
        <select value=${i} onChange=${e=>a(e.target.value)}>
          ${O.map(e=>r`<option value=${e}>${e==="props"?l("dim.props"):k(e)}</option>`)}
        </select>
      </label>
      ${i==="props"?r`<label>${l("filter.prop_key")}<input value=${d} onInput=${e=>B(e.target.value.trim())} required /></label>`:null}
      <label>${l("filter.operator")}
        <select value=${c} onChange=${e=>q(e.target.value)}>
          ${L.map(e=>r`<option value=${e}>${l(`op.${e}`)}</option>`)}
        </select>
      </label>
      <label>${l("filter.values")}
        <textarea rows="3" value=${$} onInput=${e=>S(e.target.value)} list="filter-suggestions" required></textarea>
        <small class="hint">${c.startsWith("matches")?l("filter.matches_hint"):l("filter.values_hint")}</small>
      </label>
      ${_.length?r`<div class="suggestions" role="group" aria-label=${l("filter.suggestions")}>
            ${_.slice(0,12).map(e=>r`<button type="button" class="suggestion" onClick=${()=>S(f.includes(e)?$:[...f,e].join(`
`))}>${C(u,e)}</button>`)}
          </div>`:null}
      <div class="dialog-actions">
        <button type="button" class="ghost" onClick=${()=>o.current?.close()}>${l("action.cancel")}</button>
        <button type="submit" class="primary">${l("action.apply")}</button>
      </div>
    </form>
  </dialog>`}export{k as a,K as b,N as c,Q as d};
