import{b as e}from"./chunk-IA5JBKF2.js";var d=0;function c({tabs:n,value:t,onChange:l,label:s}){return e`<div class="tabs" role="group" aria-label=${s}>
    ${n.map(([a,o])=>e`<button type="button" class=${a===t?"tab on":"tab"} aria-pressed=${a===t?"true":"false"}
          onClick=${()=>l(a)}>${o}</button>`)}
  </div>`}function b({title:n,tabs:t,actions:l,footer:s,children:a,wide:o,id:i,testid:$}){let r=`panel-${i||++d}`;return e`<section class=${o?"panel wide":"panel"} aria-labelledby=${r} data-testid=${$||i}>
    <header class="panel-head">
      <h2 id=${r}>${n}</h2>
      ${t}
    </header>
    <div class="panel-body">${a}</div>
    ${s||l?e`<footer class="panel-foot"><div class="panel-note">${s}</div><div class="panel-actions">${l}</div></footer>`:null}
  </section>`}export{c as a,b};
