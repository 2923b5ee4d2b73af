import{b as e,h as l,i as n,k as o,m as r,y as s}from"./chunk-IA5JBKF2.js";function p({keepPage:i=!1}){return e`<div class="lang" role="group" aria-label=${r("lang.label")}>
    ${l.map(a=>e`<button type="button" lang=${a} class=${n.value===a?"tab on":"tab"} aria-pressed=${n.value===a?"true":"false"}
        onClick=${async()=>{if(await o(a),i){let t=new URL(location.href);t.searchParams.set("lang",a),history.replaceState(null,"",t.pathname+t.search+t.hash)}else s({lang:a},{replace:!0})}}>${r(`lang.${a}`)}</button>`)}
  </div>`}export{p as a};
