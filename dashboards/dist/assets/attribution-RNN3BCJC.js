import{a as I}from"./chunk-N4RIVFHR.js";import{b as T}from"./chunk-XNSMM3WE.js";import{a as M}from"./chunk-HVKKUGCP.js";import{b as z}from"./chunk-RNZ67OH2.js";import{a as A}from"./chunk-UQBYH6KZ.js";import{a as S}from"./chunk-5LA5JELA.js";import{a as f,b as h}from"./chunk-F7MP2QNA.js";import{c as b,s as L}from"./chunk-E4ANYN7J.js";import{A as x,B as D,F as E,G as N,H as P,I as p,b as i,m as o,o as $,s as w,x as C,z as u}from"./chunk-IA5JBKF2.js";var g=[["channel","visit:channel"],["source","visit:source"],["utm_campaign","visit:utm_campaign"],["utm_medium","visit:utm_medium"]],O=["first_touch","last_touch"];function ot(){let r=C.value,n=b.value.goals;if(b.value.loaded&&!n.length)return i`<div class="view"><div class="panel callout"><h2>${o("attribution.title")}</h2><p>${o("goals.none")} ${L()?i`<a href=${x("settings",{section:"goals"})}>${o("goals.define")}</a>`:null}</p></div></div>`;let l=n.find(t=>t.name===r.extra.goal)?.name||n.find(t=>/book|rendez|confirm/i.test(t.name))?.name||n[0]?.name,c=O.includes(r.extra.model)?r.extra.model:"first_touch",a=g.find(([t])=>t===r.extra.by)?.[0]||"channel",v=g.find(([t])=>t===a)[1],d=l&&{...D.value,goal:l,dimension:v,attribution:c},s=A(t=>d?E.attribution(d,{signal:t}):Promise.resolve(null),[JSON.stringify(d)]),e=s.data,R=e?.meta?.min_group_size??5,_=t=>t.value==="(other)"?-2:t.conversions===null||t.conversions===void 0?-1:t.conversions,m=[...e?.results||[]].sort((t,k)=>_(k)-_(t)||(k.visitors??0)-(t.visitors??0)),y=t=>t==null?o("attribution.hidden",{k:R}):$.number(t),B=()=>M(`attribution-${c}-${a}.csv`,[o(`tab.${a}`),o("metric.conversions"),o("metric.visitors"),o("metric.conversion_rate")],m.map(t=>[t.value,t.conversions,t.visitors,t.conversion_rate]));return i`<div class="view attribution">
    <div class="actions view-controls">
      <label class="inline">${o("attribution.goal")}
        <select value=${l||""} onChange=${t=>u("goal",t.target.value)} data-testid="attr-goal">
          ${n.map(t=>i`<option value=${t.name}>${t.name}</option>`)}
        </select>
      </label>
      <${f} label=${o("attribution.model")} value=${c} tabs=${O.map(t=>[t,o(`attribution.${t}`)])} onChange=${t=>u("model",t==="first_touch"?null:t)} />
    </div>
    <p class="hint">${o(`attribution.${c}_hint`)}</p>
    <${h} id="attribution" wide title=${o("attribution.title_goal",{goal:l||""})}
      tabs=${i`<${f} label=${o("attribution.by")} value=${a} tabs=${g.map(([t])=>[t,o(`tab.${t}`)])} onChange=${t=>u("by",t==="channel"?null:t)} />`}
      actions=${i`<button type="button" class="link small" onClick=${B} disabled=${!m.length} data-testid="csv">${o("action.csv")}</button>`}
      footer=${e?i`<span class="note">${o("attribution.total",{conversions:e.total?.conversions??"\u2013",visitors:e.total?.visitors??"\u2013"})}</span>`:null}>
      ${s.error?i`<${P} error=${s.error} onRetry=${s.reload} />`:e?m.length?i`<div class=${s.loading?"stale":""}><${I} labelHeader=${o(`tab.${a}`)}
                columns=${[o("metric_short.conversions"),o("metric_short.visitors"),o("metric_short.conversion_rate")]}
                rows=${m.map(t=>({id:t.value,label:S(v,t.value),bar:t.conversions??0,cells:[y(t.conversions),y(t.visitors),$.percent(t.conversion_rate)],select:t.value==="(other)"?null:()=>T(w(v),t.value)}))}
                selectTitle=${t=>o("filter.by_value",{value:t.label})} /></div>`:i`<${p}>${o("attribution.none")}</${p}>`:i`<${N} />`}
    </${h}>
    <${z} meta=${e?.meta} />
  </div>`}export{ot as Attribution};
