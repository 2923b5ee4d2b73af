import{a as q}from"./chunk-HVKKUGCP.js";import{b as gt}from"./chunk-RNZ67OH2.js";import{a as Z}from"./chunk-UQBYH6KZ.js";import{a as O}from"./chunk-5LA5JELA.js";import{a as tt,b as z}from"./chunk-F7MP2QNA.js";import{c as I,s as X}from"./chunk-E4ANYN7J.js";import{A as Q,B,F as V,G as Y,H,I as P,b as a,c as N,d as W,e as U,m as e,o as E,x as vt,y as lt,z as K}from"./chunk-IA5JBKF2.js";var et=[["group","content_group"],["page","page"],["event","event"],["goal","goal"]],R=["(exit)","(entrance)","\u2026","(other)"];function it(t){if(!t)return null;let o=t.indexOf(":");if(o<0)return null;let s=t.slice(0,o),d=t.slice(o+1);return!et.some(([$])=>$===s)||!d?null:{kind:s,value:d}}function nt({kind:t,value:o}){return`${t}:${o}`}function st({kind:t,value:o}){return{[et.find(([d])=>d===t)[1]]:o}}function bt(t){return t?t.split(">").filter(o=>o!==""):[]}function ot(t,o,s){return t==null||R.includes(t)?null:o.some(d=>d.name===t)?{kind:"group",value:t}:s.some(d=>d.name===t)?{kind:"goal",value:t}:t.startsWith("/")?{kind:"page",value:t}:{kind:"event",value:t}}var jt=t=>t.node===null,_t=t=>t.node==="(other)";function Ut(t){let o=t.filter(s=>!jt(s)&&!_t(s));return o.sort((s,d)=>(d.visitors??-1)-(s.visitors??-1)),[...o,...t.filter(_t),...t.filter(jt)]}function kt(t,o,s=10){let d=[],$=t;for(let l=0;l<s&&$?.children?.length;l++){let v=Ut($.children),p=o[l];d.push({parent:$,items:v,selected:p,depth:l});let g=p===void 0?null:v.find(m=>m.node===p);if(!g)break;$=g}for(let l of d)l.items.some(v=>v.node!==null&&v.node===l.selected)||(l.selected=void 0);return d}function wt(t){return t.node!==null&&!!t.children?.length}function Qt(t,o){let s=[],d=($,l,v)=>{if(!(l>=o))for(let p of $.children||[]){let g=p.node===null?{began:"(entrance)",exit:"(exit)",cut:"\u2026"}[p.end]||"(exit)":p.node,m=`${l+1}:${g}`;s.push({level:l+1,name:g,visitors:p.visitors,source:v,target:m}),p.node!==null&&d(p,l+1,m)}};return d(t,0,`0:${t.node}`),s}function xt(t,o,s,d){let $=Qt(t,s),l=o==="paths_to",v=Math.max(0,...$.map(u=>u.level)),p=u=>l?v-u:u,g=new Map;for(let u of $){let[C,T]=l?[u.target,u.source]:[u.source,u.target],G=C+"\u2192"+T,D=g.get(G)||{source:C,target:T,visitors:0,unknown:!1};u.visitors===null||u.visitors===void 0?D.unknown=!0:D.visitors+=u.visitors,g.set(G,D)}let m=u=>u.slice(u.indexOf(":")+1),k=u=>+u.slice(0,u.indexOf(":"));for(let u of g.values())u.unknown&&!u.visitors&&(u.visitors=null),delete u.unknown;let f=[...g.values()],b=t.visitors||0,y=u=>u.visitors!==null&&u.visitors>0&&(!b||u.visitors/b*100>=d),w=`0:${t.node}`,r=new Set,_=new Set([w]),i=l?u=>u.target:u=>u.source,j=l?u=>u.source:u=>u.target,S=!0;for(;S;){S=!1;for(let[u,C]of g)r.has(u)||!_.has(i(C))||!y(C)||(r.add(u),_.add(j(C)),S=!0)}let c=f.filter(u=>r.has(u.source+"\u2192"+u.target)),h=new Set(c.flatMap(u=>[u.source,u.target]));return h.size||h.add(w),{nodes:[...h].map(u=>({id:u,name:m(u),col:p(k(u)),anchor:u===w,visitors:u===w?t.visitors:null})),links:c,all:f,hidden:f.length-c.length,columns:v+1,nodeName:m}}function Mt(t,o){let s=t.nodes||[],d=Math.min(0,...s.map(i=>i.step)),$=Math.max(0,...s.map(i=>i.step)),v=s.find(i=>i.step===0)?.visitors||t.visitors||0,p=(t.links||[]).map(i=>({source:i.source,target:i.target,visitors:i.visitors??null})),g=new Map(s.map(i=>[i.id,i])),m=i=>i.visitors!==null&&i.visitors>0&&(!v||i.visitors/v*100>=o),k=s.filter(i=>i.step===0).map(i=>i.id),f=new Set(k),b=new Set,y=!0;for(;y;)y=!1,p.forEach((i,j)=>{if(b.has(j)||!m(i))return;let S=g.get(i.source),c=g.get(i.target);if(!S||!c)return;let h=c.step>0&&f.has(i.source),x=S.step<0&&f.has(i.target);!h&&!x||(b.add(j),f.add(i.source),f.add(i.target),y=!0)});let w=p.filter((i,j)=>b.has(j)),r=new Set(w.flatMap(i=>[i.source,i.target]));for(let i of k)r.add(i);return{nodes:[...r].filter(i=>g.has(i)).map(i=>{let j=g.get(i);return{id:i,name:j.name,col:j.step-d,anchor:j.step===0,visitors:j.visitors??null,step:j.step}}),links:w,all:p,hidden:p.length-w.length,columns:$-d+1,nodeName:i=>g.get(i)?.name??i}}var ut=12;function ct(t,o,s){return t.node===null?t.end==="cut"?o==="paths_to"?e("journeys.end_cut.before",{n:s}):e("journeys.end_cut.after",{n:s}):t.end==="began"||o==="paths_to"&&!t.end?e("journeys.end_began"):e("journeys.end_exit"):O("journey",t.node)}function St(t,o,s){let d=o==="paths_to";if(t.depth===0)return d?e("journeys.col_before_first",{name:s}):e("journeys.col_after_first",{name:s});let $=O("journey",t.parent.node);return d?e("journeys.col_before",{n:t.depth+1,name:$}):e("journeys.col_after",{n:t.depth+1,name:$})}function Vt({item:t,k:o}){return t.absent?a`<span class="jr-count muted">${e("journeys.none")}</span>`:t.visitors===null||t.visitors===void 0?a`<span class="jr-count">${e("journeys.fewer_than_visitors",{k:o})}</span>`:a`<span class="jr-count"><span aria-hidden="true">${E.number(t.visitors)}</span><span class="sr-only">${e("journeys.visitors_n",{count:t.visitors})}</span></span>`}function Xt({item:t,col:o,mode:s,maxSteps:d,k:$,selected:l,current:v,onPick:p,parentLabel:g}){let m=ct(t,s,d),k=t.share_of_parent??(o.depth===0?t.share:null),f=Math.max(0,Math.min(100,k??0)),b=["jr-item",t.node===null?"end":"",t.node==="(other)"?"other":"",t.absent?"absent":"",l?"on":""].join(" "),y=a`
    <span class="jr-bar" style=${{width:`${f}%`}} aria-hidden="true"></span>
    <span class="jr-name" title=${m} translate=${t.node!==null&&!R.includes(t.node)?"no":void 0}>${m}</span>
    <span class="jr-figs">
      <${Vt} item=${t} k=${$} />
      ${t.absent?null:a`<span class="jr-share" data-share-of-parent=${k??""} data-share=${t.share??""}>${E.percent(k)}<span class="sr-only"> ${e("journeys.share_sr",{name:g})}</span></span>`}
    </span>
    ${o.depth>0&&!t.absent&&t.share!==null&&t.share!==void 0?a`<span class="jr-sub">${e("journeys.share_of_all",{share:E.percent(t.share)})}</span>`:null}`,w={"data-node":t.node===null?"":t.node,"data-end":t.end||"","data-visitors":t.visitors??""};return wt(t)?a`<li>
    <button type="button" class=${b} aria-pressed=${l?"true":"false"} aria-current=${v?"true":void 0}
      onClick=${()=>p(o.depth,l?null:t.node)} ...${w}>
      ${y}
      <span class="jr-chev" aria-hidden="true">›</span>
    </button>
  </li>`:a`<li><div class=${b} ...${w}>${y}</div></li>`}function Et({tree:t,path:o,columns:s,mode:d,maxSteps:$,k:l,anchorLabel:v,onPath:p}){let g=U(),[m,k]=N({}),f=s.length;W(()=>{let r=g.current;if(!r)return;let _=r.querySelector(".jr-col:last-child");if(!_)return;let i=_.getBoundingClientRect().right-r.getBoundingClientRect().right;if(i>0){let j=!matchMedia("(prefers-reduced-motion: reduce)").matches;r.scrollTo({left:r.scrollLeft+i+2,behavior:j?"smooth":"auto"})}},[f,o.join(">")]);let b=(r,_)=>p(_===null?o.slice(0,r):[...o.slice(0,r),_]),y=d==="paths_to",w=s[s.length-1];return a`<div class="jr-explorer">
    <p class="sr-only" aria-live="polite">${w?St(w,d,v):""}</p>
    <div class="jr-cols" ref=${g} data-testid="explorer">
      <div class="jr-anchor">
        <span class="jr-anchor-kind">${y?e("journeys.anchor_goal"):e("journeys.anchor_start")}</span>
        <strong class="jr-anchor-name" translate="no">${v}</strong>
        <span class="jr-anchor-count">${t.visitors===null||t.visitors===void 0?e("journeys.fewer_than_visitors",{k:l}):e("journeys.visitors_n",{count:t.visitors})}</span>
        <span class="jr-anchor-hint">${y?e("journeys.anchor_goal_hint"):e("journeys.anchor_start_hint")}</span>
      </div>
      ${s.map(r=>{let _=`jr-col-${r.depth}`,i=r.depth===0?v:O("journey",r.parent.node),j=r.items.filter(h=>h.node!==null&&h.node!=="(other)"),S=j.length>ut+2&&!m[r.depth],c=S?r.items.filter(h=>!j.includes(h)||j.indexOf(h)<ut||h.node===r.selected):[...r.items];return c.some(h=>h.node==="(other)")||c.splice(c.findIndex(h=>h.node===null)>=0?c.findIndex(h=>h.node===null):c.length,0,{node:"(other)",absent:!0}),c.some(h=>h.node===null)||c.push({node:null,absent:!0}),a`<section class="jr-col" aria-labelledby=${_} data-depth=${r.depth}>
          <h3 id=${_} class="jr-col-title">
            <span class="jr-col-n">${y?e("journeys.col_n_before",{n:r.depth+1}):e("journeys.col_n_after",{n:r.depth+1})}</span>
            <span>${St(r,d,v)}</span>
          </h3>
          <p class="jr-col-legend" aria-hidden="true">${e("journeys.col_legend_visitors")} · ${e("journeys.col_legend_share",{name:i})}</p>
          <ul class="jr-items">
            ${c.map(h=>{let x=h.node!==null&&!h.absent&&h.node===r.selected,u=x&&r.depth===o.length-1;return a`<${Xt} key=${(h.node??"\u2205"+(h.end||""))+(h.absent?"-":"")} item=${h} col=${r} mode=${d} maxSteps=${$} k=${l}
                selected=${x} current=${u} onPick=${b} parentLabel=${i} />`})}
          </ul>
          ${S?a`<button type="button" class="link small jr-more" onClick=${()=>k({...m,[r.depth]:!0})}>${e("journeys.more_steps",{count:j.length-ut})}</button>`:null}
        </section>`})}
    </div>
  </div>`}var dt=null;function Yt(){return dt??(dt=import("./sankey-lib-NTDJI2VK.js")),dt}var rt=12,Nt=8;function Zt(t,o){return t.anchor?"anchor":R.includes(t.name)?"marker":o.some(s=>s.name===t.name)?"group":t.name.startsWith("/")?"page":"goal"}function pt({graph:t,groups:o,canFocus:s,onFocus:d,caption:$,k:l}){let v=e("journeys.focus_hint"),[p,g]=N(null),[m,k]=N(null),[f,b]=N(null),y=U(),[w,r]=N(0);if(W(()=>{let n=!0;return Yt().then(M=>n&&g({sankey:M.sankey,link:M.sankeyLinkHorizontal}),M=>n&&k(M)),()=>{n=!1}},[]),W(()=>{let n=y.current,M=n?.querySelector(".jr-node.anchor");!M||n.scrollWidth<=n.clientWidth||(n.scrollLeft=Math.max(0,M.getBBox().x-n.clientWidth/2))},[p,w,t]),W(()=>{let n=y.current;if(!n)return;let M=new ResizeObserver(()=>r(n.clientWidth));return M.observe(n),r(n.clientWidth),()=>M.disconnect()},[p]),m)return a`<${H} error=${{status:0,message:String(m)}} />`;let _=n=>O("journey",n),i=a`<details class="jr-table">
    <summary>${e("journeys.sankey_table")}</summary>
    <table class="plain" data-testid="sankey-table">
      <caption class="sr-only">${$}</caption>
      <thead><tr><th scope="col">${e("journeys.link_from")}</th><th scope="col">${e("journeys.link_to")}</th><th scope="col" class="num">${e("metric.visitors")}</th></tr></thead>
      <tbody>
        ${[...t.all].sort((n,M)=>(M.visitors??-1)-(n.visitors??-1)).map(n=>a`<tr>
              <td>${_(t.nodeName(n.source))}</td>
              <td>${_(t.nodeName(n.target))}</td>
              <td class="num">${n.visitors===null?e("journeys.fewer_than",{k:l}):E.number(n.visitors)}</td>
            </tr>`)}
      </tbody>
    </table>
  </details>`;if(!p)return a`<div ref=${y}><${Y} lines=${4} /></div>`;let j=Math.max(2,1+Math.max(0,...t.nodes.map(n=>n.col))),S=Math.max(w||0,j*160),c=n=>_(n.name).length+(n.visitors!==null&&n.visitors!==void 0?E.number(n.visitors).length+1:0),h=Math.min(170,16+7.2*Math.max(4,...t.nodes.filter(n=>n.col===j-1).map(c))),x=new Map;for(let n of t.nodes)x.set(n.col,(x.get(n.col)||0)+1);let u=Math.max(1,...x.values()),C=Math.max(300,Math.min(1400,u*46+40)),T=8,G=t.nodes.map(n=>({...n})),D=t.links.map(n=>({source:n.source,target:n.target,value:n.visitors,visitors:n.visitors})),J;try{J=p.sankey().nodeId(n=>n.id).nodeWidth(rt).nodePadding(Math.max(10,Math.min(22,(C-40)/u/3))).nodeAlign(n=>n.col).nodeSort((n,M)=>R.includes(n.name)-R.includes(M.name)||M.value-n.value).extent([[1,Nt],[S-h,C-Nt]])({nodes:G,links:D})}catch(n){return a`<${H} error=${{status:0,message:String(n)}} />`}let $t=(S-h-1-rt)/(j-1),Dt=Math.max(8,Math.floor(($t-rt-2*T)/7.2)),Ft=Math.max(8,Math.floor((h-T)/7.2)),Kt=(n,M)=>n.length>M?n.slice(0,M-1)+"\u2026":n;for(let n of J.nodes)n.x0=1+n.col*$t,n.x1=n.x0+rt;let Bt=p.link(),Ht=n=>f&&(n.source.id===f||n.target.id===f);return a`<div class="jr-sankey-wrap">
    <div class="jr-sankey-scroll" ref=${y}>
      <svg class="jr-sankey" width=${S} height=${C} viewBox=${`0 0 ${S} ${C}`} role="group" aria-label=${$} data-testid="sankey">
        <g class="jr-links" aria-hidden="true">
          ${J.links.map(n=>a`<path d=${Bt(n)} class=${Ht(n)?"jr-link on":f?"jr-link dim":"jr-link"} style=${{strokeWidth:Math.max(1,n.width)}}>
              <title>${_(n.source.name)} → ${_(n.target.name)} : ${E.number(n.visitors)}</title>
            </path>`)}
        </g>
        ${J.nodes.map(n=>{let M=_(n.name),zt=s(n),qt=n.col===j-1?Ft:Dt,Gt=n.x1+T,Jt=(n.y0+n.y1)/2,F=n.visitors!==null&&n.visitors!==void 0?E.number(n.visitors):null,ft=n.y1-n.y0,mt=a`<text x=${Gt} y=${Jt} dy="0.35em" class="jr-node-label" aria-hidden="true">
            <tspan class="jr-node-name" translate=${R.includes(n.name)?void 0:"no"}>${Kt(M,qt-(F?F.length+1:0))}</tspan>${F?a`<tspan class="jr-node-count" dx="5">${F}</tspan>`:null}
          </text>`,yt=a`<rect x=${n.x0} y=${n.y0} width=${n.x1-n.x0} height=${Math.max(2,ft)} class=${"jr-node "+Zt(n,o)} rx="2" />`;return zt?a`<g class=${f===n.id?"jr-node-g focusable on":"jr-node-g focusable"}
            onMouseEnter=${()=>b(n.id)} onMouseLeave=${()=>b(null)}>
            <g class="jr-node-btn" role="button" tabindex="0" data-node=${n.name}
              aria-label=${F?e("journeys.focus_on_n",{name:M,count:n.visitors}):e("journeys.focus_on",{name:M})}
              onFocus=${()=>b(n.id)} onBlur=${()=>b(null)}
              onClick=${()=>d(n)}
              onKeyDown=${at=>{(at.key==="Enter"||at.key===" ")&&(at.preventDefault(),d(n))}}>
              <rect x=${n.x0-4} y=${n.y0-2} width=${n.x1-n.x0+8} height=${Math.max(6,ft+4)} class="jr-hit" />
              ${yt}
            </g>
            <g class="jr-node-text" onClick=${()=>d(n)}>${mt}</g>
          </g>`:a`<g class="jr-node-g" onMouseEnter=${()=>b(n.id)} onMouseLeave=${()=>b(null)}>
              <title>${M}</title>${yt}${mt}</g>`})}
      </svg>
    </div>
    <p class="jr-legend" aria-hidden="true">
      ${["group","page","goal","marker"].map(n=>a`<span><i class=${"jr-key "+n}></i>${e(`journeys.legend.${n}`)}</span>`)}
      <span class="hint">${v}</span>
    </p>
    ${i}
  </div>`}var te={page:"event:page",event:"event:name"};function Ct({step:t,label:o,onChange:s}){let{groups:d,goals:$}=I.value,[l,v]=N(t.kind),[p,g]=N(t.kind===l?t.value:""),m=te[l],f=(Z(r=>m?V.query({...B.value,metrics:["visitors"],dimensions:[m],pagination:{limit:40}},{signal:r}):Promise.resolve(null),[m,JSON.stringify(B.value)]).data?.results||[]).map(r=>r.dimensions[0]).filter(r=>r&&r!=="(other)"&&r!=="pageview"),b=r=>{v(r),g(r===t.kind?t.value:""),r==="group"&&d[0]&&s({kind:r,value:d.some(_=>_.name===t.value)?t.value:d[0].name}),r==="goal"&&$[0]&&s({kind:r,value:$.some(_=>_.name===t.value)?t.value:$[0].name})},y=r=>{r.preventDefault();let _=p.trim();_&&s({kind:l,value:_})},w=l==="group"?d:l==="goal"?$:null;return a`<form class="jr-start" onSubmit=${y} role="group" aria-label=${o}>
    <label class="inline">${o}
      <select value=${l} onChange=${r=>b(r.target.value)} data-testid="jr-kind">
        ${et.map(([r])=>a`<option value=${r}>${e(`journeys.kind.${r}`)}</option>`)}
      </select>
    </label>
    ${w?w.length?a`<label class="inline"><span class="sr-only">${e(`journeys.kind.${l}`)}</span>
            <select value=${t.kind===l?t.value:""} onChange=${r=>s({kind:l,value:r.target.value})} data-testid="jr-value" translate="no">
              ${t.kind===l&&!w.some(r=>r.name===t.value)?a`<option value=${t.value}>${t.value}</option>`:null}
              ${w.map(r=>a`<option value=${r.name}>${r.name}</option>`)}
            </select>
          </label>`:a`<span class="hint">${e(l==="group"?"journeys.no_groups":"goals.none")}
            ${X()?a`<a href=${Q("settings",{section:l==="group"?"groups":"goals"})}>${e(l==="group"?"journeys.define_group":"goals.define")}</a>`:null}</span>`:a`<label class="inline"><span class="sr-only">${e(`journeys.kind.${l}`)}</span>
          <input value=${p} onInput=${r=>g(r.target.value)} list="jr-suggest" data-testid="jr-value"
            placeholder=${l==="page"?e("journeys.page_placeholder"):e("journeys.event_placeholder")} />
        </label>
        <datalist id="jr-suggest">${f.map(r=>a`<option value=${r} />`)}</datalist>
        <button type="submit" class="small">${e("action.apply")}</button>
        ${l==="page"?a`<span class="hint">${e("journeys.page_hint")}</span>`:null}`}
  </form>`}var Ot=["paths_to","paths_from","flows"],ee=["columns","sankey"],ne=[1,2,3,4,5,6,7,8,9,10],se=[1,2,3,4,5],Rt=1,Pt=2,Lt=10;async function oe(t,o){return{...await V.journeys(t,{signal:o}),askedMode:t.mode}}function re(t){return t.find(o=>/book|rendez|confirm/i.test(o.name))?.name||t[0]?.name}function L(t){return e(`journeys.kind_words.${t.kind}`,{value:t.value})}function Xe(){let o=vt.value.extra,{goals:s,groups:d,loaded:$}=I.value,l=it(o.start),v=it(o.not),p=Ot.includes(o.mode)?o.mode:l?"paths_from":s.length||!$?"paths_to":"paths_from",g=p==="flows"?"sankey":ee.includes(o.show)?o.show:"columns",m=s.find(c=>c.name===o.goal)?.name||re(s),k=l||(d[0]?{kind:"group",value:d[0].name}:{kind:"page",value:"/"}),f=o.by==="page",y=Math.min(p==="flows"?5:10,Math.max(1,parseInt(o.steps,10)||(p==="flows"?2:6))),w=bt(o.path),r=null;if($){let c={...B.value,...f?{by:"page"}:{}};v&&(c.not_followed_by=st(v)),p==="paths_to"&&m&&(r={...c,mode:p,goal:m,max_steps:y,tree:!0,limit:100}),p==="paths_from"&&(r={...c,mode:p,from:st(k),max_steps:y,tree:!0,limit:100}),p==="flows"&&(r={...c,mode:p,around:st(k),max_steps:y,steps_before:y})}let _=Z(c=>r?oe(r,c):Promise.resolve(null),[JSON.stringify(r)]),i=(c,h)=>lt({extra:c},h),j=$&&p==="paths_to"&&!s.length,S=a`<${tt} label=${e("journeys.mode_label")} value=${p}
    tabs=${Ot.map(c=>[c,e(`journeys.mode.${c}`)])}
    onChange=${c=>i({mode:c,path:null,show:c==="flows"?null:o.show,steps:null})} />`;return a`<div class="view journeys">
    <div class="jr-controls">
      ${S}
      <div class="jr-pick">
        ${p==="paths_to"?s.length?a`<label class="inline">${e("journeys.goal")}
                <select value=${m||""} onChange=${c=>i({goal:c.target.value,path:null})} data-testid="jr-goal" translate="no">
                  ${s.map(c=>a`<option value=${c.name}>${c.name}</option>`)}
                </select>
              </label>`:null:a`<${Ct} key=${nt(k)} step=${k} label=${p==="flows"?e("journeys.around"):e("journeys.start")}
              onChange=${c=>i({start:nt(c),path:null})} />`}
        <label class="inline">${e("journeys.steps")}
          <select value=${y} onChange=${c=>i({steps:+c.target.value==(p==="flows"?2:6)?null:c.target.value})} data-testid="jr-steps">
            ${(p==="flows"?se:ne).map(c=>a`<option value=${c}>${p==="flows"?e("journeys.steps_around",{count:c}):e("journeys.steps_n",{count:c})}</option>`)}
          </select>
        </label>
        <${tt} label=${e("journeys.by_label")} value=${f?"page":"group"}
          tabs=${[["group",e("journeys.by_group")],["page",e("journeys.by_page")]]}
          onChange=${c=>i({by:c==="page"?"page":null,path:null})} />
      </div>
    </div>
    ${j?null:a`<p class="hint jr-lede">${p==="paths_to"?e("journeys.lede.paths_to",{goal:m||""}):e(`journeys.lede.${p}`,{start:L(k)})}</p>`}
    ${v?a`<p class="jr-not" data-testid="jr-not">
          <span>${e("journeys.not_note",{step:L(v)})}</span>
          <button type="button" class="chip-x" onClick=${()=>K("not",null)} aria-label=${e("journeys.not_remove")} title=${e("journeys.not_remove")}>×</button>
        </p>`:null}
    ${j?a`<div class="panel callout" data-testid="jr-no-goal">
          <h2>${e("journeys.title.paths_to_none")}</h2>
          <p>${e("goals.none")} ${X()?a`<a href=${Q("settings",{section:"goals"})}>${e("goals.define")}</a>`:null}</p>
          <p class="hint">${e("journeys.no_goal_hint")}</p>
        </div>`:a`<${ae} res=${_} body=${r} mode=${p} show=${g} goal=${m} anchor=${k} not=${v} path=${w} steps=${y} />`}
  </div>`}function ae({res:t,body:o,mode:s,show:d,goal:$,anchor:l,not:v,path:p,steps:g}){let{goals:m,groups:k}=I.value,f=t.data?.askedMode===s?t.data:null,b=f&&s!=="flows"?f.tree:null,y=f?.meta?.min_group_size??5,w=s==="paths_to"?$:l.kind==="page"?l.value:O("journey",f?.tree?.node??l.value),r=s==="paths_to"?e("journeys.title.paths_to",{goal:$}):e(`journeys.title.${s}`,{start:L(l)}),_=s==="flows"?null:a`<${tt} label=${e("journeys.show_label")} value=${d}
          tabs=${[["columns",e("journeys.show.columns")],["sankey",e("journeys.show.sankey")]]}
          onChange=${c=>K("show",c==="columns"?null:c)} />`,i,j=null;if(t.error)i=a`<${H} error=${t.error} onRetry=${t.reload} />`;else if(!f||!o)i=a`<${Y} lines=${5} />`;else if(s==="flows"){let c=Mt(f,Pt);(f.links||[]).length?(i=a`<${pt} graph=${c} groups=${k} k=${y}
        caption=${e("journeys.sankey_caption.flows",{start:L(l)})}
        canFocus=${h=>!h.anchor&&!!ot(h.name,k,m)}
        onFocus=${h=>At(h.name,"flows")} />
        ${c.hidden?a`<p class="note">${e("journeys.hidden_links",{count:c.hidden,share:E.percent(Pt)})}</p>`:null}`,j=()=>q("journeys-flows.csv",Tt(),c.all.map(h=>It(c,h,y,1)))):i=a`<${P}>${e("journeys.empty.flows",{start:L(l)})}</${P}>`}else{let c=!(f.paths||[]).length&&!(b.children||[]).length;if(c&&f.visitors===null)i=a`<${P}>${s==="paths_to"?e("journeys.empty.too_few_to",{k:y,goal:$}):e("journeys.empty.too_few_from",{k:y})}</${P}>`;else if(c)i=a`<${P}>${s==="paths_to"?e("journeys.empty.paths_to",{goal:$}):e("journeys.empty.paths_from",{start:L(l)})}</${P}>`;else if(d==="sankey"){let h=xt(b,s,g,Rt);i=a`<${pt} graph=${h} groups=${k} k=${y}
        caption=${s==="paths_to"?e("journeys.sankey_caption.paths_to",{goal:$}):e("journeys.sankey_caption.paths_from",{start:L(l)})}
        canFocus=${x=>!x.anchor&&!!ot(x.name,k,m)}
        onFocus=${x=>At(x.name,s)} />
        ${h.hidden?a`<p class="note">${e("journeys.hidden_links",{count:h.hidden,share:E.percent(Rt)})}</p>`:null}`,j=()=>q(`journeys-${s}-flow.csv`,Tt(),h.all.map(x=>It(h,x,y,s==="paths_to"?-1:1)))}else{let h=kt(b,p,g);i=a`<${Et} tree=${b} path=${p} columns=${h} mode=${s} maxSteps=${g} k=${y} anchorLabel=${w}
        onPath=${x=>K("path",x.length?x.join(">"):null)} />
        ${p.length?a`<p class="jr-path-line">
              <span class="note">${e("journeys.selected")}</span>
              ${" "}${le(w,h,s)}
              <button type="button" class="link small" onClick=${()=>K("path",null)}>${e("journeys.clear_path")}</button>
            </p>`:null}`,j=()=>q(`journeys-${s}-columns.csv`,[e("journeys.csv.column"),e("journeys.csv.after"),e("journeys.csv.step"),e("metric.visitors"),e("journeys.csv.share_of_parent"),e("journeys.csv.share"),e("journeys.csv.median")],h.flatMap(x=>x.items.map(u=>[x.depth+1,x.depth===0?A(b.node):A(x.parent.node),u.node===null?ct(u,s,g):A(u.node),ht(u.visitors,y),u.share_of_parent??(x.depth===0?u.share:null)??"",u.share??"",u.median_seconds??""])))}}let S=f?a`<span data-testid="jr-rule">${ie(f,y,s)}</span>`:null;return a`
    <${z} id="journeys" wide title=${r} tabs=${_}
      actions=${a`<button type="button" class="link small" onClick=${()=>j&&j()} disabled=${!j} data-testid="csv">${e("action.csv")}</button>`}>
      <div class=${t.loading&&f?"stale":""}>${i}</div>
    </${z}>
    ${s!=="flows"&&f&&!t.error&&(f.paths||[]).length?a`<${ue} answer=${f} mode=${s} k=${y} loading=${t.loading} />`:null}
    ${f&&!t.error?a`<${gt} meta=${f.meta} extra=${S} />`:null}`}function le(t,o,s){let d=o.filter(l=>l.selected!==void 0).map(l=>O("journey",l.selected));return(s==="paths_to"?[...d.reverse(),t]:[t,...d]).join(" \u2192 ")}function ie(t,o,s){let d=t.visitors,$=e(`journeys.rule.${s==="flows"?"flows":"paths"}`,{k:o});s!=="flows"&&($+=" "+(d==null?e("journeys.rule.shown_few",{k:o}):e("journeys.rule.shown",{count:d})));let l=t.meta?.not_shown_visitors;return l!==void 0&&($+=" "+(l===null?e("journeys.rule.not_shown_few",{k:o}):l?e("journeys.rule.not_shown",{count:l}):"")),$.trim()}var Tt=()=>[e("journeys.csv.from_step"),e("journeys.link_from"),e("journeys.csv.to_step"),e("journeys.link_to"),e("metric.visitors")];function Wt(t,o){let s=o*+t.slice(0,t.indexOf(":"))||0;return s<0?e("journeys.csv.pos_before",{count:-s}):s>0?e("journeys.csv.pos_after",{count:s}):e("journeys.csv.pos_anchor")}var It=(t,o,s,d)=>[Wt(o.source,d),A(t.nodeName(o.source)),Wt(o.target,d),A(t.nodeName(o.target)),ht(o.visitors,s)],A=t=>t==null?"":O("journey",t),ht=(t,o)=>t??`<${o}`;function At(t,o){let{groups:s,goals:d}=I.value,$=ot(t,s,d);$&&lt({extra:{mode:o==="paths_to"?"flows":o,start:nt($),path:null,not:null,steps:null}})}function ue({answer:t,mode:o,k:s,loading:d}){let[$,l]=N(!1),v=t.paths||[],p=$?v:v.slice(0,Lt),g=()=>q(`journeys-${o}-paths.csv`,[e("journeys.csv.path"),e("metric.visitors"),e("journeys.csv.share"),e("journeys.csv.median")],v.map(m=>[m.path.map(A).join(" > "),ht(m.visitors,s),m.share??"",m.median_seconds??""]));return a`<${z} id="journeys-paths" wide title=${e("journeys.paths_title")}
    footer=${a`<span class="note">${o==="paths_to"?e("journeys.paths_note.paths_to"):e("journeys.paths_note.paths_from")}</span>`}
    actions=${a`
      ${v.length>Lt?a`<button type="button" class="link small" onClick=${()=>l(!$)}>${$?e("action.show_less"):e("action.show_all")}</button>`:null}
      <button type="button" class="link small" onClick=${g} data-testid="csv-paths">${e("action.csv")}</button>`}>
    <div class=${d?"stale":""}>
      <table class="plain jr-paths">
        <caption class="sr-only">${e("journeys.paths_title")}</caption>
        <thead><tr>
          <th scope="col">${e("journeys.csv.path")}</th>
          <th scope="col" class="num">${e("metric.visitors")}</th>
          <th scope="col" class="num">${e("journeys.share")}</th>
          <th scope="col" class="num jr-med">${e("journeys.median")}</th>
        </tr></thead>
        <tbody>
          ${p.map((m,k)=>a`<tr key=${k}>
              <td><ol class="jr-steps" aria-label=${e("journeys.path_aria",{count:m.path.length})}>
                ${m.path.map((f,b)=>a`<li class=${R.includes(f)?"marker":""}>${b?a`<span class="jr-sep" aria-hidden="true">→</span>`:null}<span class="jr-step" translate=${R.includes(f)?void 0:"no"}>${O("journey",f)}</span></li>`)}
              </ol></td>
              <td class="num">${m.visitors===null||m.visitors===void 0?e("journeys.fewer_than",{k:s}):E.number(m.visitors)}</td>
              <td class="num">${E.percent(m.share)}</td>
              <td class="num jr-med">${E.duration(m.median_seconds)}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>
  </${z}>`}export{Xe as Journeys};
