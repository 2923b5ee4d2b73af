import{b as a}from"./chunk-IA5JBKF2.js";function d({rows:l,columns:n,labelHeader:c,caption:e,selectTitle:s}){let o=Math.max(1,...l.map(t=>t.bar||0));return a`<table class="ranked">
    ${e?a`<caption class="sr-only">${e}</caption>`:null}
    <thead><tr><th scope="col">${c}</th>${n.map(t=>a`<th scope="col" class="num">${t}</th>`)}</tr></thead>
    <tbody>
      ${l.map(t=>a`<tr key=${t.id} data-value=${t.id}>
          <td class="label-cell">
            <span class="bar" style=${{width:`${Math.max(0,Math.min(100,(t.bar||0)/o*100))}%`}} aria-hidden="true"></span>
            ${t.select?a`<button type="button" class="row-label" title=${s?s(t):t.label} onClick=${t.select}>${t.label}</button>`:a`<span class="row-label" title=${t.title||t.label}>${t.label}</span>`}
          </td>
          ${t.cells.map($=>a`<td class="num">${$}</td>`)}
        </tr>`)}
    </tbody>
  </table>`}export{d as a};
