import{a as y}from"./chunk-N4RIVFHR.js";import{a as S}from"./chunk-RNZ67OH2.js";import{a as h}from"./chunk-5LA5JELA.js";import{b as m}from"./chunk-F7MP2QNA.js";import{F as g,G as b,H as l,I as n,b as s,c as v,d as f,m as t,o as i,x as w}from"./chunk-IA5JBKF2.js";var _=5e3;function O(){let p=w.value.site,[r,c]=v({data:null,error:null,at:null});f(()=>{let e=!0,u,$=async()=>{if(document.visibilityState!=="hidden")try{let o=await g.realtime({site_id:p});e&&c({data:o,error:null,at:new Date().toISOString()})}catch(o){e&&c(E=>({...E,error:o}))}e&&(u=setTimeout($,_))};return $(),()=>{e=!1,clearTimeout(u)}},[p]);let a=r.data;if(r.error&&!a)return s`<${l} error=${r.error} />`;if(!a)return s`<${b} />`;let d=Math.round((a.meta?.window_seconds||300)/60);return s`<div class="view realtime">
    <div class="top-stats realtime-stats">
      <div class="stat" data-testid="rt-visitors"><span class="stat-label">${t("realtime.visitors_now")}</span>
        <span class="stat-value"><span class="pulse" aria-hidden="true"></span>${i.number(a.visitors)}</span>
        <span class="stat-hint">${t("realtime.window",{count:d})}</span></div>
      <div class="stat"><span class="stat-label">${t("metric.pageviews")}</span><span class="stat-value">${i.number(a.pageviews)}</span>
        <span class="stat-hint">${t("realtime.window",{count:d})}</span></div>
    </div>
    <${m} id="realtime-pages" title=${t("realtime.pages")} wide
      footer=${s`<${S} meta=${a.meta} /> · ${t("realtime.sensitive")} · <span aria-live="polite">${t("realtime.updated",{time:i.time(r.at)})}</span>`}>
      ${r.error?s`<${l} error=${r.error} />`:null}
      ${a.pages.length?s`<${y} labelHeader=${t("realtime.page")} columns=${[t("metric_short.visitors")]}
            rows=${a.pages.map(e=>({id:e.page,label:h("page",e.page),bar:e.visitors,cells:[i.number(e.visitors)]}))} />`:s`<${n}>${t("realtime.nobody")}</${n}>`}
    </${m}>
  </div>`}export{O as Realtime};
