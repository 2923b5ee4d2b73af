import{a as k}from"./chunk-O7UJGQ2T.js";import{D as W,b as i,c as p,d as h,e as S,m as l,q as D,r as F,t as L,v as y,w as m,z as C}from"./chunk-ES4WFYXR.js";function x(t){return t.startsWith("props:")?l("dim.prop",{key:t.slice(6)}):l(`dim.${t}`)}function J(t,o){let n=y.value.filters.filter(a=>!(a.dim===t&&a.op==="is"));m({filters:[...n,{op:"is",dim:t,values:[o]}]})}function O(t){let o=t.values.map(n=>t.op.startsWith("is")?k(t.dim,n):n).join(l("filter.or"));return i`<span class="chip-dim">${x(t.dim)}</span> <span class="chip-op">${l(`op.${t.op}`)}</span> <span class="chip-val">${o}</span>`}function K(){let t=y.value.filters,[o,n]=p(null),a=s=>m({filters:t.filter((r,c)=>c!==s)});return i`<div class="filter-bar" role="group" aria-label=${l("filter.bar")}>
    ${t.map((s,r)=>i`<span class="chip" data-testid="filter-chip">
        <button type="button" class="chip-edit" onClick=${()=>n(r)} title=${l("filter.edit")}><span class="sr-only">${l("filter.edit_prefix")} </span>${O(s)}</button>
        <button type="button" class="chip-x" onClick=${()=>a(r)} aria-label=${l("filter.remove_named",{name:x(s.dim)})}>×</button>
      </span>`)}
    <button type="button" class="ghost small" onClick=${()=>n("new")}>+ ${l("filter.add")}</button>
    ${t.length?i`<button type="button" class="link small" onClick=${()=>m({filters:[]})} title=${l("filter.clear_hint")}>${l("filter.clear")}</button>`:null}
    ${o!==null?i`<${P} initial=${o==="new"?null:t[o]} onClose=${()=>n(null)}
          onSave=${s=>{let r=[...t];o==="new"?r.push(s):r[o]=s,m({filters:r}),n(null)}} />`:null}
  </div>`}function P({initial:t,onSave:o,onClose:n}){let a=S(),[s,r]=p(t?.dim||"page"),[c,j]=p(t?.op||"is"),[f,_]=p(t?t.values.join(`
`):""),[d,q]=p(t?.dim?.startsWith("props:")?t.dim.slice(6):""),[w,b]=p([]);h(()=>{a.current?.showModal?.()},[]);let u=s==="props"?d?`props:${d}`:"":s;h(()=>{let e=u&&F(u);if(!e)return b([]);let E=new AbortController,A=C.value.filters.filter(g=>g[1]!==e);return W.query({...C.value,filters:A,metrics:["visitors"],dimensions:[e],pagination:{limit:50}},{signal:E.signal}).then(g=>b(g.results.map(v=>v.dimensions[0]).filter(v=>v!=="(other)"))).catch(()=>b([])),()=>E.abort()},[u]);let $=f.split(`
`).map(e=>e.trim()).filter(Boolean),B=e=>{e.preventDefault(),!(!u||!$.length)&&o({op:c,dim:u,values:$})},I=[...D,"props"];return i`<dialog ref=${a} class="dialog" onClose=${n} aria-labelledby="filter-title">
    <form onSubmit=${B}>
      <h2 id="filter-title">${t?l("filter.edit"):l("filter.add")}</h2>
      <label>${l("filter.dimension")}
        <select value=${s} onChange=${e=>r(e.target.value)}>
          ${I.map(e=>i`<option value=${e}>${e==="props"?l("dim.props"):x(e)}</option>`)}
        </select>
      </label>
      ${s==="props"?i`<label>${l("filter.prop_key")}<input value=${d} onInput=${e=>q(e.target.value.trim())} required /></label>`:null}
      <label>${l("filter.operator")}
        <select value=${c} onChange=${e=>j(e.target.value)}>
          ${L.map(e=>i`<option value=${e}>${l(`op.${e}`)}</option>`)}
        </select>
      </label>
      <label>${l("filter.values")}
        <textarea rows="3" value=${f} onInput=${e=>_(e.target.value)} list="filter-suggestions" required></textarea>
        <small class="hint">${c.startsWith("matches")?l("filter.matches_hint"):l("filter.values_hint")}</small>
      </label>
      ${w.length?i`<div class="suggestions" role="group" aria-label=${l("filter.suggestions")}>
            ${w.slice(0,12).map(e=>i`<button type="button" class="suggestion" onClick=${()=>_($.includes(e)?f:[...$,e].join(`
`))}>${k(u,e)}</button>`)}
          </div>`:null}
      <div class="dialog-actions">
        <button type="button" class="ghost" onClick=${()=>a.current?.close()}>${l("action.cancel")}</button>
        <button type="submit" class="primary">${l("action.apply")}</button>
      </div>
    </form>
  </dialog>`}export{x as a,J as b,K as c};
