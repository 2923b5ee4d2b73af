import{a as G}from"./chunk-HVKKUGCP.js";import{c as A,g as Y}from"./chunk-V5OH6PDG.js";import{a as O,c as jt}from"./chunk-WAFSOXAT.js";import{A as B,C as gt,F as H,G as X,H as q,I as T,J as Z,K as z,b as a,c as C,d as W,e as Q,f as vt,n as e,p as E,w as yt,x as at,y as F,z as V}from"./chunk-BPL272P3.js";var tt=[["group","content_group"],["page","page"],["event","event"],["goal","goal"]],P=["(exit)","(entrance)","\u2026","(other)"];function lt(t){if(!t)return null;let o=t.indexOf(":");if(o<0)return null;let s=t.slice(0,o),l=t.slice(o+1);return!tt.some(([c])=>c===s)||!l?null:{kind:s,value:l}}function et({kind:t,value:o}){return`${t}:${o}`}function nt({kind:t,value:o}){return{[tt.find(([l])=>l===t)[1]]:o}}function wt(t){return t?t.split(">").filter(o=>o!==""):[]}function st(t,o,s){return t==null||P.includes(t)?null:o.some(l=>l.name===t)?{kind:"group",value:t}:s.some(l=>l.name===t)?{kind:"goal",value:t}:t.startsWith("/")?{kind:"page",value:t}:{kind:"event",value:t}}var _t=t=>Math.round(t*100)/100;function xt(t,o,s){let l=t.paths||[],c=o==="paths_to",g={node:t.meta?.anchor??(l[0]?c?l[0].path[l[0].path.length-1]:l[0].path[0]:null),visitors:t.visitors??null,share:100,children:[]};for(let y of l){let f=(c?[...y.path].reverse():[...y.path]).slice(1),j=[];for(let v of f){if(!c&&v==="(exit)"){j.push({node:null,end:"exit"});break}if(c&&v==="\u2026"){j.push({node:null,end:"cut"});break}j.push({node:v})}let $=j[j.length-1];(!$||$.node!==null)&&$?.node!=="(other)"&&(c?j.push({node:null,end:"began"}):j.length>=s?j.push({node:null,end:"cut"}):j.push({node:null,end:"exit"}));let k=g;for(let v of j){let _=k.children.find(r=>r.node===v.node&&(v.node!==null||r.end===v.end));_||(_={node:v.node,visitors:null,known:!1,median_seconds:null,children:[]},v.end&&(_.end=v.end),k.children.push(_)),y.visitors!==null&&y.visitors!==void 0&&(_.visitors=(_.visitors||0)+y.visitors,_.known=!0),k=_}}let h=y=>{for(let f of y.children){let j=f.visitors;f.share=j!==null&&g.visitors?_t(j/g.visitors*100):null,f.share_of_parent=j!==null&&y.visitors?_t(j/y.visitors*100):null,delete f.known,h(f)}};return h(g),g}var bt=t=>t.node===null,kt=t=>t.node==="(other)";function Zt(t){let o=t.filter(s=>!bt(s)&&!kt(s));return o.sort((s,l)=>(l.visitors??-1)-(s.visitors??-1)),[...o,...t.filter(kt),...t.filter(bt)]}function Mt(t,o,s=10){let l=[],c=t;for(let i=0;i<s&&c?.children?.length;i++){let g=Zt(c.children),h=o[i];l.push({parent:c,items:g,selected:h,depth:i});let y=h===void 0?null:g.find(f=>f.node===h);if(!y)break;c=y}for(let i of l)i.items.some(g=>g.node!==null&&g.node===i.selected)||(i.selected=void 0);return l}function St(t){return t.node!==null&&!!t.children?.length}function te(t,o){let s=[],l=(c,i,g)=>{if(!(i>=o))for(let h of c.children||[]){let y=h.node===null?{began:"(entrance)",exit:"(exit)",cut:"\u2026"}[h.end]||"(exit)":h.node,f=`${i+1}:${y}`;s.push({level:i+1,name:y,visitors:h.visitors,source:g,target:f}),h.node!==null&&l(h,i+1,f)}};return l(t,0,`0:${t.node}`),s}function Et(t,o,s,l){let c=te(t,s),i=o==="paths_to",g=Math.max(0,...c.map(d=>d.level)),h=d=>i?g-d:d,y=new Map;for(let d of c){let[N,L]=i?[d.target,d.source]:[d.source,d.target],J=N+"\u2192"+L,D=y.get(J)||{source:N,target:L,visitors:0,unknown:!1};d.visitors===null||d.visitors===void 0?D.unknown=!0:D.visitors+=d.visitors,y.set(J,D)}let f=d=>d.slice(d.indexOf(":")+1),j=d=>+d.slice(0,d.indexOf(":"));for(let d of y.values())d.unknown&&!d.visitors&&(d.visitors=null),delete d.unknown;let $=[...y.values()],k=t.visitors||0,v=d=>d.visitors!==null&&d.visitors>0&&(!k||d.visitors/k*100>=l),_=`0:${t.node}`,r=new Set,w=new Set([_]),u=i?d=>d.target:d=>d.source,b=i?d=>d.source:d=>d.target,S=!0;for(;S;){S=!1;for(let[d,N]of y)r.has(d)||!w.has(u(N))||!v(N)||(r.add(d),w.add(b(N)),S=!0)}let p=$.filter(d=>r.has(d.source+"\u2192"+d.target)),m=new Set(p.flatMap(d=>[d.source,d.target]));return m.size||m.add(_),{nodes:[...m].map(d=>({id:d,name:f(d),col:h(j(d)),anchor:d===_,visitors:d===_?t.visitors:null})),links:p,all:$,hidden:$.length-p.length,columns:g+1,nodeName:f}}function Ct(t,o){let s=t.nodes||[],l=Math.min(0,...s.map(u=>u.step)),c=Math.max(0,...s.map(u=>u.step)),g=s.find(u=>u.step===0)?.visitors||t.visitors||0,h=(t.links||[]).map(u=>({source:u.source,target:u.target,visitors:u.visitors??null})),y=new Map(s.map(u=>[u.id,u])),f=u=>u.visitors!==null&&u.visitors>0&&(!g||u.visitors/g*100>=o),j=s.filter(u=>u.step===0).map(u=>u.id),$=new Set(j),k=new Set,v=!0;for(;v;)v=!1,h.forEach((u,b)=>{if(k.has(b)||!f(u))return;let S=y.get(u.source),p=y.get(u.target);if(!S||!p)return;let m=p.step>0&&$.has(u.source),x=S.step<0&&$.has(u.target);!m&&!x||(k.add(b),$.add(u.source),$.add(u.target),v=!0)});let _=h.filter((u,b)=>k.has(b)),r=new Set(_.flatMap(u=>[u.source,u.target]));for(let u of j)r.add(u);return{nodes:[...r].filter(u=>y.has(u)).map(u=>{let b=y.get(u);return{id:u,name:b.name,col:b.step-l,anchor:b.step===0,visitors:b.visitors??null,step:b.step}}),links:_,all:h,hidden:h.length-_.length,columns:c-l+1,nodeName:u=>y.get(u)?.name??u}}var it=12;function ut(t,o,s){return t.node===null?t.end==="cut"?o==="paths_to"?e("journeys.end_cut.before",{n:s}):e("journeys.end_cut.after",{n:s}):t.end==="began"||o==="paths_to"&&!t.end?e("journeys.end_began"):e("journeys.end_exit"):O("journey",t.node)}function Nt(t,o,s){let l=o==="paths_to";if(t.depth===0)return l?e("journeys.col_before_first",{name:s}):e("journeys.col_after_first",{name:s});let c=O("journey",t.parent.node);return l?e("journeys.col_before",{n:t.depth+1,name:c}):e("journeys.col_after",{n:t.depth+1,name:c})}function ee({item:t,k:o}){return t.absent?a`<span class="jr-count muted">${e("journeys.none")}</span>`:t.visitors===null||t.visitors===void 0?a`<span class="jr-count">${e("journeys.fewer_than_visitors",{k:o})}</span>`:a`<span class="jr-count"><span aria-hidden="true">${E.number(t.visitors)}</span><span class="sr-only">${e("journeys.visitors_n",{count:t.visitors})}</span></span>`}function ne({item:t,col:o,mode:s,maxSteps:l,k:c,selected:i,current:g,onPick:h,parentLabel:y}){let f=ut(t,s,l),j=t.share_of_parent??(o.depth===0?t.share:null),$=Math.max(0,Math.min(100,j??0)),k=["jr-item",t.node===null?"end":"",t.node==="(other)"?"other":"",t.absent?"absent":"",i?"on":""].join(" "),v=a`
    <span class="jr-bar" style=${{width:`${$}%`}} aria-hidden="true"></span>
    <span class="jr-name" title=${f} translate=${t.node!==null&&!P.includes(t.node)?"no":void 0}>${f}</span>
    <span class="jr-figs">
      <${ee} item=${t} k=${c} />
      ${t.absent?null:a`<span class="jr-share" data-share-of-parent=${j??""} data-share=${t.share??""}>${E.percent(j)}<span class="sr-only"> ${e("journeys.share_sr",{name:y})}</span></span>`}
    </span>
    ${o.depth>0&&!t.absent&&t.share!==null&&t.share!==void 0?a`<span class="jr-sub">${e("journeys.share_of_all",{share:E.percent(t.share)})}</span>`:null}`,_={"data-node":t.node===null?"":t.node,"data-end":t.end||"","data-visitors":t.visitors??""};return St(t)?a`<li>
    <button type="button" class=${k} aria-pressed=${i?"true":"false"} aria-current=${g?"true":void 0}
      onClick=${()=>h(o.depth,i?null:t.node)} ...${_}>
      ${v}
      <span class="jr-chev" aria-hidden="true">›</span>
    </button>
  </li>`:a`<li><div class=${k} ...${_}>${v}</div></li>`}function Ot({tree:t,path:o,columns:s,mode:l,maxSteps:c,k:i,anchorLabel:g,onPath:h}){let y=Q(),[f,j]=C({}),$=s.length;W(()=>{let r=y.current;if(!r)return;let w=r.querySelector(".jr-col:last-child");if(!w)return;let u=w.getBoundingClientRect().right-r.getBoundingClientRect().right;if(u>0){let b=!matchMedia("(prefers-reduced-motion: reduce)").matches;r.scrollTo({left:r.scrollLeft+u+2,behavior:b?"smooth":"auto"})}},[$,o.join(">")]);let k=(r,w)=>h(w===null?o.slice(0,r):[...o.slice(0,r),w]),v=l==="paths_to",_=s[s.length-1];return a`<div class="jr-explorer">
    <p class="sr-only" aria-live="polite">${_?Nt(_,l,g):""}</p>
    <div class="jr-cols" ref=${y} data-testid="explorer">
      <div class="jr-anchor">
        <span class="jr-anchor-kind">${v?e("journeys.anchor_goal"):e("journeys.anchor_start")}</span>
        <strong class="jr-anchor-name" translate="no">${g}</strong>
        <span class="jr-anchor-count">${t.visitors===null||t.visitors===void 0?e("journeys.fewer_than_visitors",{k:i}):e("journeys.visitors_n",{count:t.visitors})}</span>
        <span class="jr-anchor-hint">${v?e("journeys.anchor_goal_hint"):e("journeys.anchor_start_hint")}</span>
      </div>
      ${s.map(r=>{let w=`jr-col-${r.depth}`,u=r.depth===0?g:O("journey",r.parent.node),b=r.items.filter(m=>m.node!==null&&m.node!=="(other)"),S=b.length>it+2&&!f[r.depth],p=S?r.items.filter(m=>!b.includes(m)||b.indexOf(m)<it||m.node===r.selected):[...r.items];return p.some(m=>m.node==="(other)")||p.splice(p.findIndex(m=>m.node===null)>=0?p.findIndex(m=>m.node===null):p.length,0,{node:"(other)",absent:!0}),p.some(m=>m.node===null)||p.push({node:null,absent:!0}),a`<section class="jr-col" aria-labelledby=${w} data-depth=${r.depth}>
          <h3 id=${w} class="jr-col-title">
            <span class="jr-col-n">${v?e("journeys.col_n_before",{n:r.depth+1}):e("journeys.col_n_after",{n:r.depth+1})}</span>
            <span>${Nt(r,l,g)}</span>
          </h3>
          <p class="jr-col-legend" aria-hidden="true">${e("journeys.col_legend_visitors")} · ${e("journeys.col_legend_share",{name:u})}</p>
          <ul class="jr-items">
            ${p.map(m=>{let x=m.node!==null&&!m.absent&&m.node===r.selected,d=x&&r.depth===o.length-1;return a`<${ne} key=${(m.node??"\u2205"+(m.end||""))+(m.absent?"-":"")} item=${m} col=${r} mode=${l} maxSteps=${c} k=${i}
                selected=${x} current=${d} onPick=${k} parentLabel=${u} />`})}
          </ul>
          ${S?a`<button type="button" class="link small jr-more" onClick=${()=>j({...f,[r.depth]:!0})}>${e("journeys.more_steps",{count:b.length-it})}</button>`:null}
        </section>`})}
    </div>
  </div>`}var ct=null;function se(){return ct??(ct=import("./sankey-lib-NTDJI2VK.js")),ct}var ot=12,Pt=8;function oe(t,o){return t.anchor?"anchor":P.includes(t.name)?"marker":o.some(s=>s.name===t.name)?"group":t.name.startsWith("/")?"page":"goal"}function dt({graph:t,groups:o,canFocus:s,onFocus:l,caption:c,k:i}){let g=e("journeys.focus_hint"),[h,y]=C(null),[f,j]=C(null),[$,k]=C(null),v=Q(),[_,r]=C(0);if(W(()=>{let n=!0;return se().then(M=>n&&y({sankey:M.sankey,link:M.sankeyLinkHorizontal}),M=>n&&j(M)),()=>{n=!1}},[]),W(()=>{let n=v.current,M=n?.querySelector(".jr-node.anchor");!M||n.scrollWidth<=n.clientWidth||(n.scrollLeft=Math.max(0,M.getBBox().x-n.clientWidth/2))},[h,_,t]),W(()=>{let n=v.current;if(!n)return;let M=new ResizeObserver(()=>r(n.clientWidth));return M.observe(n),r(n.clientWidth),()=>M.disconnect()},[h]),f)return a`<${q} error=${{status:0,message:String(f)}} />`;let w=n=>O("journey",n),u=a`<details class="jr-table">
    <summary>${e("journeys.sankey_table")}</summary>
    <table class="plain" data-testid="sankey-table">
      <caption class="sr-only">${c}</caption>
      <thead><tr><th scope="col">${e("journeys.link_from")}</th><th scope="col">${e("journeys.link_to")}</th><th scope="col" class="num">${e("metric.visitors")}</th></tr></thead>
      <tbody>
        ${[...t.all].sort((n,M)=>(M.visitors??-1)-(n.visitors??-1)).map(n=>a`<tr>
              <td>${w(t.nodeName(n.source))}</td>
              <td>${w(t.nodeName(n.target))}</td>
              <td class="num">${n.visitors===null?e("journeys.fewer_than",{k:i}):E.number(n.visitors)}</td>
            </tr>`)}
      </tbody>
    </table>
  </details>`;if(!h)return a`<div ref=${v}><${X} lines=${4} /></div>`;let b=Math.max(2,1+Math.max(0,...t.nodes.map(n=>n.col))),S=Math.max(_||0,b*160),p=n=>w(n.name).length+(n.visitors!==null&&n.visitors!==void 0?E.number(n.visitors).length+1:0),m=Math.min(170,16+7.2*Math.max(4,...t.nodes.filter(n=>n.col===b-1).map(p))),x=new Map;for(let n of t.nodes)x.set(n.col,(x.get(n.col)||0)+1);let d=Math.max(1,...x.values()),N=Math.max(300,Math.min(1400,d*46+40)),L=8,J=t.nodes.map(n=>({...n})),D=t.links.map(n=>({source:n.source,target:n.target,value:n.visitors,visitors:n.visitors})),U;try{U=h.sankey().nodeId(n=>n.id).nodeWidth(ot).nodePadding(Math.max(10,Math.min(22,(N-40)/d/3))).nodeAlign(n=>n.col).nodeSort((n,M)=>P.includes(n.name)-P.includes(M.name)||M.value-n.value).extent([[1,Pt],[S-m,N-Pt]])({nodes:J,links:D})}catch(n){return a`<${q} error=${{status:0,message:String(n)}} />`}let ht=(S-m-1-ot)/(b-1),qt=Math.max(8,Math.floor((ht-ot-2*L)/7.2)),zt=Math.max(8,Math.floor((m-L)/7.2)),Gt=(n,M)=>n.length>M?n.slice(0,M-1)+"\u2026":n;for(let n of U.nodes)n.x0=1+n.col*ht,n.x1=n.x0+ot;let Jt=h.link(),Ut=n=>$&&(n.source.id===$||n.target.id===$);return a`<div class="jr-sankey-wrap">
    <div class="jr-sankey-scroll" ref=${v}>
      <svg class="jr-sankey" width=${S} height=${N} viewBox=${`0 0 ${S} ${N}`} role="group" aria-label=${c} data-testid="sankey">
        <g class="jr-links" aria-hidden="true">
          ${U.links.map(n=>a`<path d=${Jt(n)} class=${Ut(n)?"jr-link on":$?"jr-link dim":"jr-link"} style=${{strokeWidth:Math.max(1,n.width)}}>
              <title>${w(n.source.name)} → ${w(n.target.name)} : ${E.number(n.visitors)}</title>
            </path>`)}
        </g>
        ${U.nodes.map(n=>{let M=w(n.name),Qt=s(n),Vt=n.col===b-1?zt:qt,Xt=n.x1+L,Yt=(n.y0+n.y1)/2,K=n.visitors!==null&&n.visitors!==void 0?E.number(n.visitors):null,ft=n.y1-n.y0,$t=a`<text x=${Xt} y=${Yt} dy="0.35em" class="jr-node-label" aria-hidden="true">
            <tspan class="jr-node-name" translate=${P.includes(n.name)?void 0:"no"}>${Gt(M,Vt-(K?K.length+1:0))}</tspan>${K?a`<tspan class="jr-node-count" dx="5">${K}</tspan>`:null}
          </text>`,mt=a`<rect x=${n.x0} y=${n.y0} width=${n.x1-n.x0} height=${Math.max(2,ft)} class=${"jr-node "+oe(n,o)} rx="2" />`;return Qt?a`<g class=${$===n.id?"jr-node-g focusable on":"jr-node-g focusable"}
            onMouseEnter=${()=>k(n.id)} onMouseLeave=${()=>k(null)}>
            <g class="jr-node-btn" role="button" tabindex="0" data-node=${n.name}
              aria-label=${K?e("journeys.focus_on_n",{name:M,count:n.visitors}):e("journeys.focus_on",{name:M})}
              onFocus=${()=>k(n.id)} onBlur=${()=>k(null)}
              onClick=${()=>l(n)}
              onKeyDown=${rt=>{(rt.key==="Enter"||rt.key===" ")&&(rt.preventDefault(),l(n))}}>
              <rect x=${n.x0-4} y=${n.y0-2} width=${n.x1-n.x0+8} height=${Math.max(6,ft+4)} class="jr-hit" />
              ${mt}
            </g>
            <g class="jr-node-text" onClick=${()=>l(n)}>${$t}</g>
          </g>`:a`<g class="jr-node-g" onMouseEnter=${()=>k(n.id)} onMouseLeave=${()=>k(null)}>
              <title>${M}</title>${mt}${$t}</g>`})}
      </svg>
    </div>
    <p class="jr-legend" aria-hidden="true">
      ${["group","page","goal","marker"].map(n=>a`<span><i class=${"jr-key "+n}></i>${e(`journeys.legend.${n}`)}</span>`)}
      <span class="hint">${g}</span>
    </p>
    ${u}
  </div>`}var re={page:"event:page",event:"event:name"};function Rt({step:t,label:o,onChange:s}){let{groups:l,goals:c}=A.value,[i,g]=C(t.kind),[h,y]=C(t.kind===i?t.value:""),f=re[i],$=(Y(r=>f?H.query({...B.value,metrics:["visitors"],dimensions:[f],pagination:{limit:40}},{signal:r}):Promise.resolve(null),[f,JSON.stringify(B.value)]).data?.results||[]).map(r=>r.dimensions[0]).filter(r=>r&&r!=="(other)"&&r!=="pageview"),k=r=>{g(r),y(r===t.kind?t.value:""),r==="group"&&l[0]&&s({kind:r,value:l.some(w=>w.name===t.value)?t.value:l[0].name}),r==="goal"&&c[0]&&s({kind:r,value:c.some(w=>w.name===t.value)?t.value:c[0].name})},v=r=>{r.preventDefault();let w=h.trim();w&&s({kind:i,value:w})},_=i==="group"?l:i==="goal"?c:null;return a`<form class="jr-start" onSubmit=${v} role="group" aria-label=${o}>
    <label class="inline">${o}
      <select value=${i} onChange=${r=>k(r.target.value)} data-testid="jr-kind">
        ${tt.map(([r])=>a`<option value=${r}>${e(`journeys.kind.${r}`)}</option>`)}
      </select>
    </label>
    ${_?_.length?a`<label class="inline"><span class="sr-only">${e(`journeys.kind.${i}`)}</span>
            <select value=${t.kind===i?t.value:""} onChange=${r=>s({kind:i,value:r.target.value})} data-testid="jr-value" translate="no">
              ${t.kind===i&&!_.some(r=>r.name===t.value)?a`<option value=${t.value}>${t.value}</option>`:null}
              ${_.map(r=>a`<option value=${r.name}>${r.name}</option>`)}
            </select>
          </label>`:a`<span class="hint">${e(i==="group"?"journeys.no_groups":"goals.none")}
            <a href=${V("settings",{section:i==="group"?"groups":"goals"})}>${e(i==="group"?"journeys.define_group":"goals.define")}</a></span>`:a`<label class="inline"><span class="sr-only">${e(`journeys.kind.${i}`)}</span>
          <input value=${h} onInput=${r=>y(r.target.value)} list="jr-suggest" data-testid="jr-value"
            placeholder=${i==="page"?e("journeys.page_placeholder"):e("journeys.event_placeholder")} />
        </label>
        <datalist id="jr-suggest">${$.map(r=>a`<option value=${r} />`)}</datalist>
        <button type="submit" class="small">${e("action.apply")}</button>
        ${i==="page"?a`<span class="hint">${e("journeys.page_hint")}</span>`:null}`}
  </form>`}var Tt=["paths_to","paths_from","flows"],ae=["columns","sankey"],le=[1,2,3,4,5,6,7,8,9,10],ie=[1,2,3,4,5],Lt=1,Wt=2,Ft=10,At=!1;async function ue(t,o){let s=At&&t.tree?It(t):t,l;try{l=await H.journeys(s,{signal:o})}catch(c){if(!(c instanceof gt&&c.status===400&&/unknown field `tree`/.test(c.message)&&t.tree))throw c;At=!0,l=await H.journeys(It(t),{signal:o})}return{...l,askedMode:t.mode,askedSteps:t.max_steps}}function It(t){let{tree:o,...s}=t;return{...s,limit:1e3}}function ce(t){return t.find(o=>/book|rendez|confirm/i.test(o.name))?.name||t[0]?.name}function R(t){return e(`journeys.kind_words.${t.kind}`,{value:t.value})}function en(){let o=yt.value.extra,{goals:s,groups:l,loaded:c}=A.value,i=lt(o.start),g=lt(o.not),h=Tt.includes(o.mode)?o.mode:i?"paths_from":s.length||!c?"paths_to":"paths_from",y=h==="flows"?"sankey":ae.includes(o.show)?o.show:"columns",f=s.find(p=>p.name===o.goal)?.name||ce(s),j=i||(l[0]?{kind:"group",value:l[0].name}:{kind:"page",value:"/"}),$=o.by==="page",v=Math.min(h==="flows"?5:10,Math.max(1,parseInt(o.steps,10)||(h==="flows"?2:6))),_=wt(o.path),r=null;if(c){let p={...B.value,...$?{by:"page"}:{}};g&&(p.not_followed_by=nt(g)),h==="paths_to"&&f&&(r={...p,mode:h,goal:f,max_steps:v,tree:!0,limit:100}),h==="paths_from"&&(r={...p,mode:h,from:nt(j),max_steps:v,tree:!0,limit:100}),h==="flows"&&(r={...p,mode:h,around:nt(j),max_steps:v,steps_before:v})}let w=Y(p=>r?ue(r,p):Promise.resolve(null),[JSON.stringify(r)]),u=(p,m)=>at({extra:p},m),b=c&&h==="paths_to"&&!s.length,S=a`<${Z} label=${e("journeys.mode_label")} value=${h}
    tabs=${Tt.map(p=>[p,e(`journeys.mode.${p}`)])}
    onChange=${p=>u({mode:p,path:null,show:p==="flows"?null:o.show,steps:null})} />`;return a`<div class="view journeys">
    <div class="jr-controls">
      ${S}
      <div class="jr-pick">
        ${h==="paths_to"?s.length?a`<label class="inline">${e("journeys.goal")}
                <select value=${f||""} onChange=${p=>u({goal:p.target.value,path:null})} data-testid="jr-goal" translate="no">
                  ${s.map(p=>a`<option value=${p.name}>${p.name}</option>`)}
                </select>
              </label>`:null:a`<${Rt} key=${et(j)} step=${j} label=${h==="flows"?e("journeys.around"):e("journeys.start")}
              onChange=${p=>u({start:et(p),path:null})} />`}
        <label class="inline">${e("journeys.steps")}
          <select value=${v} onChange=${p=>u({steps:+p.target.value==(h==="flows"?2:6)?null:p.target.value})} data-testid="jr-steps">
            ${(h==="flows"?ie:le).map(p=>a`<option value=${p}>${h==="flows"?e("journeys.steps_around",{count:p}):e("journeys.steps_n",{count:p})}</option>`)}
          </select>
        </label>
        <${Z} label=${e("journeys.by_label")} value=${$?"page":"group"}
          tabs=${[["group",e("journeys.by_group")],["page",e("journeys.by_page")]]}
          onChange=${p=>u({by:p==="page"?"page":null,path:null})} />
      </div>
    </div>
    ${b?null:a`<p class="hint jr-lede">${h==="paths_to"?e("journeys.lede.paths_to",{goal:f||""}):e(`journeys.lede.${h}`,{start:R(j)})}</p>`}
    ${g?a`<p class="jr-not" data-testid="jr-not">
          <span>${e("journeys.not_note",{step:R(g)})}</span>
          <button type="button" class="chip-x" onClick=${()=>F("not",null)} aria-label=${e("journeys.not_remove")} title=${e("journeys.not_remove")}>×</button>
        </p>`:null}
    ${b?a`<div class="panel callout" data-testid="jr-no-goal">
          <h2>${e("journeys.title.paths_to_none")}</h2>
          <p>${e("goals.none")} <a href=${V("settings",{section:"goals"})}>${e("goals.define")}</a></p>
          <p class="hint">${e("journeys.no_goal_hint")}</p>
        </div>`:a`<${de} res=${w} body=${r} mode=${h} show=${y} goal=${f} anchor=${j} not=${g} path=${_} steps=${v} />`}
  </div>`}function de({res:t,body:o,mode:s,show:l,goal:c,anchor:i,not:g,path:h,steps:y}){let{goals:f,groups:j}=A.value,$=t.data?.askedMode===s?t.data:null,k=vt(()=>$&&s!=="flows"?$.tree||xt($,s,$.askedSteps):null,[$,s]),v=$?.meta?.min_group_size??5,_=s==="paths_to"?c:i.kind==="page"?i.value:O("journey",$?.tree?.node??i.value),r=s==="paths_to"?e("journeys.title.paths_to",{goal:c}):e(`journeys.title.${s}`,{start:R(i)}),w=s==="flows"?null:a`<${Z} label=${e("journeys.show_label")} value=${l}
          tabs=${[["columns",e("journeys.show.columns")],["sankey",e("journeys.show.sankey")]]}
          onChange=${p=>F("show",p==="columns"?null:p)} />`,u,b=null;if(t.error)u=a`<${fe} error=${t.error} anchor=${i} not=${g} onRetry=${t.reload} />`;else if(!$||!o)u=a`<${X} lines=${5} />`;else if(s==="flows"){let p=Ct($,Wt);($.links||[]).length?(u=a`<${dt} graph=${p} groups=${j} k=${v}
        caption=${e("journeys.sankey_caption.flows",{start:R(i)})}
        canFocus=${m=>!m.anchor&&!!st(m.name,j,f)}
        onFocus=${m=>Ht(m.name,"flows")} />
        ${p.hidden?a`<p class="note">${e("journeys.hidden_links",{count:p.hidden,share:E.percent(Wt)})}</p>`:null}`,b=()=>G("journeys-flows.csv",Dt(),p.all.map(m=>Bt(p,m,v,1)))):u=a`<${T}>${e("journeys.empty.flows",{start:R(i)})}</${T}>`}else{let p=!($.paths||[]).length&&!(k.children||[]).length;if(p&&$.visitors===null)u=a`<${T}>${s==="paths_to"?e("journeys.empty.too_few_to",{k:v,goal:c}):e("journeys.empty.too_few_from",{k:v})}</${T}>`;else if(p)u=a`<${T}>${s==="paths_to"?e("journeys.empty.paths_to",{goal:c}):e("journeys.empty.paths_from",{start:R(i)})}</${T}>`;else if(l==="sankey"){let m=Et(k,s,y,Lt);u=a`<${dt} graph=${m} groups=${j} k=${v}
        caption=${s==="paths_to"?e("journeys.sankey_caption.paths_to",{goal:c}):e("journeys.sankey_caption.paths_from",{start:R(i)})}
        canFocus=${x=>!x.anchor&&!!st(x.name,j,f)}
        onFocus=${x=>Ht(x.name,s)} />
        ${m.hidden?a`<p class="note">${e("journeys.hidden_links",{count:m.hidden,share:E.percent(Lt)})}</p>`:null}`,b=()=>G(`journeys-${s}-flow.csv`,Dt(),m.all.map(x=>Bt(m,x,v,s==="paths_to"?-1:1)))}else{let m=Mt(k,h,y);u=a`<${Ot} tree=${k} path=${h} columns=${m} mode=${s} maxSteps=${y} k=${v} anchorLabel=${_}
        onPath=${x=>F("path",x.length?x.join(">"):null)} />
        ${h.length?a`<p class="jr-path-line">
              <span class="note">${e("journeys.selected")}</span>
              ${" "}${pe(_,m,s)}
              <button type="button" class="link small" onClick=${()=>F("path",null)}>${e("journeys.clear_path")}</button>
            </p>`:null}`,b=()=>G(`journeys-${s}-columns.csv`,[e("journeys.csv.column"),e("journeys.csv.after"),e("journeys.csv.step"),e("metric.visitors"),e("journeys.csv.share_of_parent"),e("journeys.csv.share"),e("journeys.csv.median")],m.flatMap(x=>x.items.map(d=>[x.depth+1,x.depth===0?I(k.node):I(x.parent.node),d.node===null?ut(d,s,y):I(d.node),pt(d.visitors,v),d.share_of_parent??(x.depth===0?d.share:null)??"",d.share??"",d.median_seconds??""])))}}let S=$?a`<span data-testid="jr-rule">${he($,v,s)}</span>`:null;return a`
    <${z} id="journeys" wide title=${r} tabs=${w}
      actions=${a`<button type="button" class="link small" onClick=${()=>b&&b()} disabled=${!b} data-testid="csv">${e("action.csv")}</button>`}>
      <div class=${t.loading&&$?"stale":""}>${u}</div>
    </${z}>
    ${s!=="flows"&&$&&!t.error&&($.paths||[]).length?a`<${$e} answer=${$} mode=${s} k=${v} loading=${t.loading} />`:null}
    ${$&&!t.error?a`<${jt} meta=${$.meta} extra=${S} />`:null}`}function pe(t,o,s){let l=o.filter(i=>i.selected!==void 0).map(i=>O("journey",i.selected));return(s==="paths_to"?[...l.reverse(),t]:[t,...l]).join(" \u2192 ")}function he(t,o,s){let l=t.visitors,c=e(`journeys.rule.${s==="flows"?"flows":"paths"}`,{k:o});s!=="flows"&&(c+=" "+(l==null?e("journeys.rule.shown_few",{k:o}):e("journeys.rule.shown",{count:l})));let i=t.meta?.not_shown_visitors;return i!==void 0&&(c+=" "+(i===null?e("journeys.rule.not_shown_few",{k:o}):i?e("journeys.rule.not_shown",{count:i}):"")),c.trim()}var Dt=()=>[e("journeys.csv.from_step"),e("journeys.link_from"),e("journeys.csv.to_step"),e("journeys.link_to"),e("metric.visitors")];function Kt(t,o){let s=o*+t.slice(0,t.indexOf(":"))||0;return s<0?e("journeys.csv.pos_before",{count:-s}):s>0?e("journeys.csv.pos_after",{count:s}):e("journeys.csv.pos_anchor")}var Bt=(t,o,s,l)=>[Kt(o.source,l),I(t.nodeName(o.source)),Kt(o.target,l),I(t.nodeName(o.target)),pt(o.visitors,s)],I=t=>t==null?"":O("journey",t),pt=(t,o)=>t??`<${o}`;function Ht(t,o){let{groups:s,goals:l}=A.value,c=st(t,s,l);c&&at({extra:{mode:o==="paths_to"?"flows":o,start:et(c),path:null,not:null,steps:null}})}function fe({error:t,anchor:o,not:s,onRetry:l}){let c=String(t?.message||"");return t?.status===400&&s&&/not_followed_by/.test(c)?a`<div class="jr-callout" role="alert">
      <p>${e("journeys.not_unsupported",{step:R(s)})}</p>
      <button type="button" class="ghost small" onClick=${()=>F("not",null)}>${e("journeys.not_remove")}</button>
    </div>`:t?.status===400&&(o.kind==="event"||o.kind==="goal")&&/from|around/.test(c)?a`<div class="jr-callout" role="alert">
      <p>${e("journeys.kind_unsupported",{start:R(o)})}</p>
      <details><summary>${e("error.details")}</summary><code>${c}</code></details>
    </div>`:a`<${q} error=${t} onRetry=${l} />`}function $e({answer:t,mode:o,k:s,loading:l}){let[c,i]=C(!1),g=t.paths||[],h=c?g:g.slice(0,Ft),y=()=>G(`journeys-${o}-paths.csv`,[e("journeys.csv.path"),e("metric.visitors"),e("journeys.csv.share"),e("journeys.csv.median")],g.map(f=>[f.path.map(I).join(" > "),pt(f.visitors,s),f.share??"",f.median_seconds??""]));return a`<${z} id="journeys-paths" wide title=${e("journeys.paths_title")}
    footer=${a`<span class="note">${o==="paths_to"?e("journeys.paths_note.paths_to"):e("journeys.paths_note.paths_from")}</span>`}
    actions=${a`
      ${g.length>Ft?a`<button type="button" class="link small" onClick=${()=>i(!c)}>${c?e("action.show_less"):e("action.show_all")}</button>`:null}
      <button type="button" class="link small" onClick=${y} data-testid="csv-paths">${e("action.csv")}</button>`}>
    <div class=${l?"stale":""}>
      <table class="plain jr-paths">
        <caption class="sr-only">${e("journeys.paths_title")}</caption>
        <thead><tr>
          <th scope="col">${e("journeys.csv.path")}</th>
          <th scope="col" class="num">${e("metric.visitors")}</th>
          <th scope="col" class="num">${e("journeys.share")}</th>
          <th scope="col" class="num jr-med">${e("journeys.median")}</th>
        </tr></thead>
        <tbody>
          ${h.map((f,j)=>a`<tr key=${j}>
              <td><ol class="jr-steps" aria-label=${e("journeys.path_aria",{count:f.path.length})}>
                ${f.path.map(($,k)=>a`<li class=${P.includes($)?"marker":""}>${k?a`<span class="jr-sep" aria-hidden="true">→</span>`:null}<span class="jr-step" translate=${P.includes($)?void 0:"no"}>${O("journey",$)}</span></li>`)}
              </ol></td>
              <td class="num">${f.visitors===null||f.visitors===void 0?e("journeys.fewer_than",{k:s}):E.number(f.visitors)}</td>
              <td class="num">${E.percent(f.share)}</td>
              <td class="num jr-med">${E.duration(f.median_seconds)}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>
  </${z}>`}export{en as Journeys};
