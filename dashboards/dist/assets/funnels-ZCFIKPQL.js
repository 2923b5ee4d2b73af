import{a as P}from"./chunk-Q7JTJ7B4.js";import{a as ue}from"./chunk-HVKKUGCP.js";import{a as ge,b as _e}from"./chunk-RNZ67OH2.js";import{a as ee}from"./chunk-UQBYH6KZ.js";import{a as we}from"./chunk-5LA5JELA.js";import{b as M}from"./chunk-F7MP2QNA.js";import{c as L,e as ie,r as re}from"./chunk-E4ANYN7J.js";import{A as Q,B as j,F as A,G as K,H as Z,I as R,b as o,c as x,d as oe,e as ae,m as t,o as N,r as be,s as I,x as Y,y as C,z as he}from"./chunk-IA5JBKF2.js";var z=["page","content_group","goal","event"],B=["30m","1h","2h","6h","1d","7d","30d"],F="1d",ne=2,U=8,T={channel:"visit:channel",source:"visit:source",utm_campaign:"visit:utm_campaign",device:"visit:device",country:"visit:country"};function W(e){if(T[e])return T[e];let n=e?be(e):null;return n&&n.startsWith("visit:")?n:null}var ye=e=>T[e]||e==="none"?t(`funnels.by.${e}`):t(`dim.${e}`),ke=e=>T[e]?t(`funnels.by_title.${e}`):t("funnels.by_title_other",{dim:t(`dim.${e}`)}),Be={m:60,h:3600,d:86400,s:1};function q(e){let n=/^(\d+)([smhd])$/.exec(String(e||""));return n?+n[1]*Be[n[2]]:null}function xe(e,n){if(B.includes(e))return t(`funnels.window_opt.${e}`);let s=B.find(l=>q(l)===q(e));return s?t(`funnels.window_opt.${s}`):n.duration(q(e))}function Se(e,n){let s=B.find(l=>q(l)===e);return s?t(`funnels.window_opt.${s}`):n.duration(e)}function Ce(e){let n=z.find(s=>typeof e?.[s]=="string")||"page";return{kind:n,value:e?.[n]||"",name:e?.name||"",props:n==="event"?Object.entries(e.props||{}):[]}}function V(e){let n={};if(e.name.trim()&&(n.name=e.name.trim()),n[e.kind]=e.kind==="page"||e.kind==="event"?e.value.trim():e.value,e.kind==="event"){let s=e.props.filter(([l])=>l.trim());s.length&&(n.props=Object.fromEntries(s.map(([l,a])=>[l.trim(),a.trim()])))}return n}function J(e,n){let s=e==="goal"?n.goals[0]?.name||"":e==="content_group"&&n.groups[0]?.name||"";return{kind:e,value:s,name:"",props:[]}}function te(e){return{name:"",window:F,steps:[J("page",e),J(e.goals.length?"goal":"page",e)],filters:[]}}function De(e){return{name:e.name||"",window:e.window||F,steps:(e.steps||[]).map(Ce),filters:e.filters||[]}}function X(e){let n={n:e.name,w:e.window,s:e.steps.map(s=>{let l={[s.kind]:s.value};return s.name&&(l.name=s.name),s.kind==="event"&&s.props.length&&(l.props=Object.fromEntries(s.props)),l})};return e.filters?.length&&(n.f=e.filters),JSON.stringify(n)}function de(e){try{let n=JSON.parse(e);return!n||!Array.isArray(n.s)?null:{name:typeof n.n=="string"?n.n:"",window:typeof n.w=="string"&&q(n.w)?n.w:F,steps:n.s.slice(0,U).map(Ce),filters:Array.isArray(n.f)?n.f:[]}}catch{return null}}function Ee(e){let n=[];return e.steps.forEach((s,l)=>{let a=l+1;String(s.value).trim()?s.kind==="page"&&!s.value.trim().startsWith("/")?n.push({step:l,text:t("funnels.invalid.page_slash",{n:a})}):s.kind==="event"&&s.props.some(([i,r])=>i.trim()&&!r.trim())&&n.push({step:l,text:t("funnels.invalid.prop_value",{n:a})}):n.push({step:l,text:t(`funnels.invalid.${s.kind}`,{n:a})})}),e.steps.length<ne&&n.push({step:null,text:t("funnels.invalid.too_few")}),n}function Ne(e){if(!e)return"";let n=z.find(a=>typeof e[a]=="string");if(!n)return"";let s=t(`funnels.desc.${n}`,{value:e[n]}),l=Object.entries(e.props||{});return n==="event"&&l.length&&(s+=" "+t("funnels.desc.props",{props:l.map(([a,i])=>`${a} = ${i}`).join(", ")})),s}var Fe={page:"page",content_group:"group",event:"event",goal:"goal"};function pe(e){let n=z.find(s=>typeof e?.[s]=="string");return n?`${Fe[n]}:${e[n]}`:null}function ce({n:e,k:n}){return e!=null?N.number(e):o`<span class="fn-hidden" title=${t("funnels.hidden_title",{k:n})}><span aria-hidden="true">${t("funnels.hidden",{k:n})}</span><span class="sr-only">${t("funnels.hidden_title",{k:n})}</span></span>`}function $e({p:e}){return e!=null?N.percent(e):o`<span class="fn-hidden" title=${t("funnels.hidden_rate")}><span aria-hidden="true">–</span><span class="sr-only">${t("funnels.hidden_rate")}</span></span>`}var fe=(e,n)=>e??t("funnels.hidden",{k:n});function We({value:e,onChange:n}){return o`<label class="inline small fn-by">${t("funnels.breakdown_label")}
    <select value=${e} onChange=${s=>n(s.target.value)} data-testid="funnel-breakdown">
      ${["none",...Object.keys(T),...e!=="none"&&!T[e]?[e]:[]].map(s=>o`<option value=${s}>${ye(s)}</option>`)}
    </select>
  </label>`}function je({steps:e,k:n}){let s=e[0],l=e[e.length-1];return s.visitors===null?o`<p class="fn-headline">${t("funnels.headline_hidden_start",{k:n})}</p>`:l.visitors===null?o`<p class="fn-headline">${t("funnels.headline_hidden_end",{k:n,start:s.visitors})}</p>`:o`<p class="fn-headline">
    <strong>${t("funnels.headline_rate",{rate:N.percent(l.conversion_rate)})}</strong>${" "}
    ${t("funnels.headline",{done:l.visitors,start:s.visitors})}
  </p>`}function Ke({step:e,n,prevDef:s,def:l,prevName:a,name:i,k:r}){let c=pe(s),p=pe(l),u=e.dropoff,$=c&&p&&u!==0;return o`<div class="fn-between">
    <span class="fn-arrow" aria-hidden="true">↓</span>
    <span class="fn-between-items">
      <span><strong><${$e} p=${e.step_conversion_rate} /></strong> ${t("funnels.went_on",{n})}</span>
      <span class="fn-drop"><strong><${ce} n=${u} k=${r} /></strong> ${t("funnels.dropped",{count:typeof u=="number"?u:2})}</span>
      ${e.median_seconds_from_previous!==null&&e.median_seconds_from_previous!==void 0?o`<span>${t("funnels.median")} <strong>${N.duration(e.median_seconds_from_previous)}</strong></span>`:null}
      ${$?o`<a class="fn-where" href=${Q("journeys",{mode:"paths_from",start:c,not:p})}
            title=${t("funnels.where_title",{from:a,to:i})} data-testid="funnel-where">${t("funnels.where")}</a>`:null}
    </span>
  </div>`}function Re({steps:e,defs:n,k:s}){return o`<ol class="fn-steps" data-testid="funnel-steps">
    ${e.map((l,a)=>{let i=l.conversion_rate===null||l.conversion_rate===void 0?null:Math.max(0,Math.min(100,l.conversion_rate));return o`<li class="fn-step" key=${a}>
        ${a>0?o`<${Ke} step=${l} n=${a+1} prevDef=${n[a-1]} def=${n[a]} prevName=${e[a-1].name} name=${l.name} k=${s} />`:null}
        <div class="fn-step-head">
          <span class="fn-num" aria-hidden="true">${a+1}</span>
          <span class="fn-name">
            <span class="sr-only">${t("funnels.step_n",{n:a+1})}: </span>
            <strong>${l.name}</strong>
            ${n[a]?o`<span class="fn-desc">${Ne(n[a])}</span>`:null}
          </span>
          <span class="fn-figs">
            <span class="fn-visitors"><strong><${ce} n=${l.visitors} k=${s} /></strong> ${t("funnels.visitors",{count:typeof l.visitors=="number"?l.visitors:2})}</span>
            ${a>0?o`<span class="fn-rate"><${$e} p=${l.conversion_rate} /> ${t("funnels.of_start")}</span>`:null}
          </span>
        </div>
        <div class=${i===null?"fn-track hidden":"fn-track"} aria-hidden="true">
          ${i===null?null:o`<span class="fn-fill" style=${{width:`${i}%`}}></span>`}
        </div>
      </li>`})}
  </ol>`}function Me({breakdown:e,steps:n,k:s}){let l=I(e.dimension),a=e.results||[];return a.length?o`<div class="fn-table-wrap" tabindex="0" role="region" aria-label=${t("funnels.table_label",{dim:t(`dim.${l}`)})}>
    <table class="plain fn-table" data-testid="funnel-breakdown-table">
      <thead><tr>
        <th scope="col">${t(`dim.${l}`)}</th>
        ${n.map((i,r)=>o`<th scope="col" class="num" title=${i.name}><span class="fn-th-num">${r+1}.</span> ${i.name}</th>`)}
        <th scope="col" class="num">${t("funnels.overall")}</th>
      </tr></thead>
      <tbody>
        ${a.map(i=>o`<tr key=${i.value}>
            <th scope="row">${we(l,i.value)}</th>
            ${i.steps.map(r=>o`<td class="num"><${ce} n=${r.visitors} k=${s} /></td>`)}
            <td class="num"><strong><${$e} p=${i.steps[i.steps.length-1]?.conversion_rate} /></strong></td>
          </tr>`)}
      </tbody>
    </table>
  </div>`:o`<${R}>${t("funnels.breakdown_empty")}</${R}>`}function Pe(e,n,s){let l=[t("funnels.csv.step"),t("funnels.csv.name"),t("funnels.csv.visitors"),t("funnels.csv.conversion_rate"),t("funnels.csv.step_conversion_rate"),t("funnels.csv.dropoff"),t("funnels.csv.median_seconds")],a=n.steps.map((i,r)=>[r+1,i.name,fe(i.visitors,s),i.conversion_rate,i.step_conversion_rate,fe(i.dropoff,s),i.median_seconds_from_previous]);ue(`${Oe(e)}-steps.csv`,l,a)}function qe(e,n,s){let l=I(n.breakdown.dimension),a=[t(`dim.${l}`),...n.steps.map((r,c)=>`${c+1}. ${r.name}`),t("funnels.csv.conversion_rate")],i=n.breakdown.results.map(r=>[r.value,...r.steps.map(c=>fe(c.visitors,s)),r.steps[r.steps.length-1]?.conversion_rate]);ue(`${Oe(e)}-${l}.csv`,a,i)}var Oe=e=>String(e||"funnel").normalize("NFD").replace(/[\u0300-\u036f]/g,"").toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-|-$/g,"")||"funnel";function me({body:e,title:n,name:s,defs:l,by:a,actions:i,stale:r,summary:c}){let p=ee(f=>A.funnel(e,{signal:f}),[JSON.stringify(e)]),u=p.data,$=u?.meta?.min_group_size??5,S=f=>he("by",f,{replace:!0}),b=u?.steps||[],h;p.error?h=o`<${Z} error=${p.error} onRetry=${p.reload} />`:u?!b.length||b[0].visitors===0?h=o`<${R}>${t("funnels.no_start")}</${R}>`:h=o`<div class=${p.loading?"stale":""} aria-busy=${p.loading?"true":"false"}>
      ${r?o`<p class="fn-outdated" role="status">${t("funnels.changed")}</p>`:null}
      <${je} steps=${b} k=${$} />
      <${Re} steps=${b} defs=${l} k=${$} />
    </div>`:h=o`<div><${K} lines=${4} /><p class="hint fn-wait">${t("funnels.computing")}</p></div>`;let k=u?.meta?.window_seconds?t("funnels.window_note",{window:Se(u.meta.window_seconds,N)}):null;return o`
    <${M} id="funnel" wide title=${n}
      tabs=${o`<div class="fn-head-tools">${i}<${We} value=${a} onChange=${S} /></div>`}
      footer=${o`<span class="note">${c}</span>`}
      actions=${o`<button type="button" class="link small" onClick=${()=>Pe(s,u,$)} disabled=${!b.length} data-testid="csv">${t("action.csv")}</button>`}>
      ${h}
    </${M}>
    ${a!=="none"&&u&&!p.error&&b.length>0&&b[0].visitors!==0?o`<${M} id="funnel-breakdown" wide title=${ke(a)}
          footer=${u.breakdown?o`<${ge} meta=${u.meta} />`:null}
          actions=${o`<button type="button" class="link small" onClick=${()=>qe(s,u,$)} disabled=${!u.breakdown?.results?.length} data-testid="csv-breakdown">${t("action.csv")}</button>`}>
          ${!u.breakdown||I(u.breakdown.dimension)!==a?o`<${K} />`:o`<div class=${p.loading?"stale":""}><${Me} breakdown=${u.breakdown} steps=${b} k=${$} /></div>`}
        </${M}>`:null}
    <${_e} meta=${u?.meta} extra=${k} />`}var G=(...e)=>requestAnimationFrame(()=>{for(let n of e){let s=document.querySelector(n);if(s&&!s.disabled)return s.focus()}});function ve(e,n,s=!0){let l=j.value,a=s&&e?{site_id:l.site_id,date_range:l.date_range,metrics:["visitors"],dimensions:[e],filters:n||[],pagination:{limit:100}}:null;return(ee(r=>a?A.query(a,{signal:r}):Promise.resolve(null),[JSON.stringify(a)]).data?.results||[]).map(r=>r.dimensions[0]).filter(r=>r&&r!=="(other)"&&r!=="(none)"&&r!=="pageview")}function Je({step:e,i:n,count:s,defs:l,onChange:a,onMove:i,onRemove:r,problem:c}){let p=n+1,u=`fn-step-${n}`,$=f=>a({...e,...f}),S=e.props[0]?.[0]?.trim()||"",b=ve(S?`event:props:${S}`:null,e.value.trim()?[["is","event:name",[e.value.trim()]]]:[],e.kind==="event"&&!!S),h=c?`${u}-err`:void 0,k;if(e.kind==="page")k=o`<label>${t("funnels.field.page")}
      <input id=${`${u}-value`} value=${e.value} onInput=${f=>$({value:f.target.value})} placeholder=${t("funnels.field.page_placeholder")}
        list="fn-pages" autocomplete="off" spellcheck=${!1} aria-invalid=${c?"true":void 0} aria-describedby=${[`${u}-hint`,h].filter(Boolean).join(" ")} />
      <small class="hint" id=${`${u}-hint`}>${t("funnels.field.page_hint")}</small>
    </label>`;else if(e.kind==="goal"||e.kind==="content_group"){let f=e.kind==="goal"?l.goals:l.groups,g=f.some(m=>m.name===e.value);k=o`<label>${t(`funnels.field.${e.kind}`)}
      <select id=${`${u}-value`} value=${e.value} onChange=${m=>$({value:m.target.value})} aria-invalid=${c?"true":void 0} aria-describedby=${h}>
        ${f.length?null:o`<option value="">${t(`funnels.field.no_${e.kind}`)}</option>`}
        ${e.value&&!g?o`<option value=${e.value}>${e.value}</option>`:null}
        ${f.map(m=>o`<option value=${m.name}>${m.name}</option>`)}
      </select>
    </label>`}else k=o`<label>${t("funnels.field.event")}
      <input id=${`${u}-value`} value=${e.value} onInput=${f=>$({value:f.target.value})} placeholder=${t("funnels.field.event_placeholder")}
        list="fn-events" autocomplete="off" aria-invalid=${c?"true":void 0} aria-describedby=${h} />
    </label>`;return o`<li class="fn-edit-step" data-testid="funnel-step-editor">
    <fieldset>
      <legend class="fn-legend"><span class="fn-num" aria-hidden="true">${p}</span><span>${t("funnels.step_n",{n:p})}</span></legend>
      <div class="fn-step-tools">
        <button type="button" class="ghost small fn-icon" data-move=${`up-${n}`} onClick=${()=>i(n,-1)} disabled=${n===0}
          aria-label=${t("funnels.move_up",{n:p})} title=${t("funnels.move_up",{n:p})}>↑</button>
        <button type="button" class="ghost small fn-icon" data-move=${`down-${n}`} onClick=${()=>i(n,1)} disabled=${n===s-1}
          aria-label=${t("funnels.move_down",{n:p})} title=${t("funnels.move_down",{n:p})}>↓</button>
        <button type="button" class="ghost small fn-icon" onClick=${()=>r(n)} disabled=${s<=ne}
          aria-label=${t("funnels.remove_step",{n:p})} title=${s<=ne?t("funnels.min_steps"):t("funnels.remove_step",{n:p})}>✕</button>
      </div>
      <div class="fn-step-fields">
        <label>${t("funnels.field.kind")}
          <select value=${e.kind} onChange=${f=>a({...J(f.target.value,l),name:e.name})} data-testid="funnel-step-kind">
            ${z.map(f=>o`<option value=${f}>${t(`funnels.kind.${f}`)}</option>`)}
          </select>
        </label>
        ${k}
        <label>${t("funnels.field.name")}
          <input value=${e.name} onInput=${f=>$({name:f.target.value})} placeholder=${t("funnels.field.name_placeholder")} autocomplete="off" />
        </label>
      </div>
      ${e.kind==="event"?o`<div class="fn-props">
            ${e.props.map(([f,g],m)=>o`<div class="fn-prop" key=${m}>
                <label>${t("funnels.field.prop_key")}
                  <input value=${f} onInput=${D=>$({props:e.props.map((_,E)=>E===m?[D.target.value,_[1]]:_)})}
                    placeholder=${t("funnels.field.prop_key_placeholder")} autocomplete="off" spellcheck=${!1} />
                </label>
                <span class="fn-eq" aria-hidden="true">=</span>
                <label>${t("funnels.field.prop_value")}
                  <input value=${g} onInput=${D=>$({props:e.props.map((_,E)=>E===m?[_[0],D.target.value]:_)})}
                    list=${m===0?`${u}-propvals`:void 0} autocomplete="off" spellcheck=${!1} />
                </label>
                <button type="button" class="ghost small fn-icon" onClick=${()=>$({props:e.props.filter((D,_)=>_!==m)})}
                  aria-label=${t("funnels.remove_prop",{n:p})} title=${t("funnels.remove_prop",{n:p})}>✕</button>
              </div>`)}
            ${e.props.length?null:o`<button type="button" class="link small" onClick=${()=>$({props:[["",""]]})}>+ ${t("funnels.add_prop")}</button>`}
            <datalist id=${`${u}-propvals`}>${b.map(f=>o`<option value=${f}></option>`)}</datalist>
          </div>`:null}
      ${c?o`<p class="fn-problem" id=${h}>${c}</p>`:null}
    </fieldset>
  </li>`}function Ae({draft:e,editing:n,defs:s,onChange:l,onShow:a,onSave:i,onCancel:r,busy:c,error:p,canCancel:u}){let[$,S]=x(null),[b,h]=x(""),k=ve("event:name"),f=ve("event:page"),g=Ee(e),m=$==="save"&&!e.name.trim(),D=d=>$?g.find(v=>v.step===d)?.text:null,_=d=>l({...e,steps:d}),E=(d,v)=>{let w=d+v;if(w<0||w>=e.steps.length)return;let O=[...e.steps];[O[d],O[w]]=[O[w],O[d]],_(O),h(t("funnels.moved",{n:w+1}));let H=v<0?"up":"down";G(`[data-move="${H}-${w}"]`,`[data-move="${H==="up"?"down":"up"}-${w}"]`)},se=d=>{_(e.steps.filter((v,w)=>w!==d)),h(t("funnels.removed",{n:d+1})),G("#fn-add-step")},le=()=>{_([...e.steps,J("page",s)]),G(`#fn-step-${e.steps.length}-value`)},y=d=>v=>{if(v?.preventDefault(),S(d),g.length)return G('.fn-builder [aria-invalid="true"]',".fn-problems");if(d==="save"){if(!e.name.trim())return G("#fn-name");i()}else a()};return o`<section class="panel wide fn-builder" aria-labelledby="fn-builder-title" data-testid="funnel-builder">
    <header class="panel-head"><h2 id="fn-builder-title">${n?t("funnels.builder_edit",{name:n}):t("funnels.builder_new")}</h2></header>
    <form class="panel-body fn-form" onSubmit=${y("show")} novalidate>
      <p class="hint fn-intro">${t("funnels.builder_intro")}</p>
      <div class="fn-top-fields">
        <label>${t("funnels.field.funnel_name")}
          <input id="fn-name" value=${e.name} onInput=${d=>l({...e,name:d.target.value})} placeholder=${t("funnels.field.funnel_name_placeholder")}
            autocomplete="off" maxlength="120" aria-invalid=${m?"true":void 0} aria-describedby=${m?"fn-name-err":void 0} data-testid="funnel-name" />
          ${m?o`<small class="fn-problem" id="fn-name-err">${t("funnels.invalid.name")}</small>`:null}
        </label>
        <label>${t("funnels.field.window")}
          <select value=${e.window} onChange=${d=>l({...e,window:d.target.value})} aria-describedby="fn-window-hint" data-testid="funnel-window">
            ${B.includes(e.window)?null:o`<option value=${e.window}>${e.window}</option>`}
            ${B.map(d=>o`<option value=${d}>${t(`funnels.window_opt.${d}`)}</option>`)}
          </select>
          <small class="hint" id="fn-window-hint">${t("funnels.field.window_hint")}</small>
        </label>
      </div>
      <ol class="fn-edit-steps" aria-label=${t("funnels.steps_label")}>
        ${e.steps.map((d,v)=>o`<${Je} key=${v} step=${d} i=${v} count=${e.steps.length} defs=${s}
            problem=${D(v)}
            onChange=${w=>_(e.steps.map((O,H)=>H===v?w:O))}
            onMove=${E} onRemove=${se} />`)}
      </ol>
      <div class="fn-add-row">
        <button type="button" id="fn-add-step" class="ghost" onClick=${le} disabled=${e.steps.length>=U} data-testid="funnel-add-step">+ ${t("funnels.add_step")}</button>
        <span class="hint">${e.steps.length>=U?t("funnels.max_steps"):t("funnels.steps_count",{count:e.steps.length,max:U})}</span>
      </div>
      <p class="sr-only" aria-live="polite">${b}</p>
      <datalist id="fn-events">${k.map(d=>o`<option value=${d}></option>`)}</datalist>
      <datalist id="fn-pages">${f.map(d=>o`<option value=${d}></option>`)}</datalist>
      ${$&&g.some(d=>d.step===null)?o`<p class="fn-problems fn-problem" role="alert" tabindex="-1">${g.filter(d=>d.step===null).map(d=>d.text).join(" ")}</p>`:null}
      ${$&&g.length?o`<p class="sr-only" role="alert">${t("funnels.invalid.summary",{count:g.length})}</p>`:null}
      ${p?o`<${Z} error=${p} />`:null}
      <div class="actions fn-form-actions">
        <button type="submit" class="primary" data-testid="funnel-show">${t("funnels.show")}</button>
        ${i?o`<button type="button" onClick=${y("save")} disabled=${c} data-testid="funnel-save">${c?t("funnels.saving"):t("funnels.save")}</button>`:null}
        ${u?o`<button type="button" class="link" onClick=${r}>${t("funnels.cancel")}</button>`:null}
      </div>
    </form>
  </section>`}function Ie(e,n){let s=e.extra.by;if(s==="none"||W(s))return s;let l=n?I(n):null;return l&&W(l)?l:"none"}var Le=(e,n)=>t("funnels.summary",{count:e,window:xe(n||F,N)});function ze({funnels:e,current:n,building:s}){let l=a=>i=>{i.metaKey||i.ctrlKey||i.shiftKey||i.button||(i.preventDefault(),C({extra:{funnel:a}},{keepExtra:!1}))};return o`<div class="fn-bar">
    ${e.length?o`<nav class="fn-list" aria-label=${t("funnels.saved")}>
          <span class="fn-list-label" aria-hidden="true">${t("funnels.saved")}</span>
          <ul>
            ${e.map(a=>o`<li key=${a.name}><a href=${Q("funnels",{funnel:a.name})} class=${a.name===n?"on":""}
                aria-current=${a.name===n?"page":void 0} onClick=${l(a.name)} data-testid="funnel-link">${a.name}</a></li>`)}
          </ul>
        </nav>`:o`<span></span>`}
    ${s?null:o`<button type="button" class="primary" onClick=${()=>C({extra:{def:X(te(L.value))}},{keepExtra:!1})} data-testid="funnel-new">+ ${t("funnels.new")}</button>`}
  </div>`}function Ue(){return o`<section class="panel wide callout fn-empty" aria-labelledby="fn-empty-title" data-testid="funnel-empty">
    <h2 id="fn-empty-title">${t("funnels.empty_title")}</h2>
    <p>${t("funnels.empty_body")}</p>
    <p class="hint">${t("funnels.empty_example")}</p>
    <p><button type="button" class="primary" onClick=${()=>C({extra:{def:X(te(L.value))}},{keepExtra:!1})} data-testid="funnel-new">+ ${t("funnels.new")}</button></p>
  </section>`}function Ve({funnel:e}){let n=Y.value,[s,l]=x(!1),a=Ie(n,e.breakdown),i={...j.value,funnel:e.name};a!=="none"?i.breakdown=W(a):e.breakdown&&(delete i.funnel,Object.assign(i,{steps:e.steps,window:e.window||F}),!i.filters.length&&e.filters?.length&&(i.filters=e.filters));let r=async()=>{await A.funnels.remove(n.site,e.name),await ie(n.site),C({extra:{}},{keepExtra:!1})},c=()=>C({extra:{def:X(De(e)),edit:e.name,show:"1",by:a}},{keepExtra:!1});return o`
    <${me} key=${e.name} body=${i} title=${e.name} name=${e.name} defs=${e.steps||[]} by=${a}
      summary=${Le((e.steps||[]).length,e.window)}
      actions=${re(n.site,"editor")?o`<button type="button" class="ghost small" onClick=${c} data-testid="funnel-edit">${t("funnels.edit")}</button>
          <button type="button" class="ghost small danger" onClick=${()=>l(!0)} data-testid="funnel-delete">${t("funnels.delete")}</button>`:null} />
    ${s?o`<${P} title=${t("funnels.delete_title",{name:e.name})} confirmLabel=${t("funnels.delete_confirm")}
          onConfirm=${r} onClose=${()=>l(!1)}><p>${t("funnels.delete_body")}</p></${P}>`:null}`}var Te=e=>JSON.stringify({s:e.steps.map(V),w:e.window});function Xe({funnels:e}){let n=Y.value,s=n.extra.def,[l,a]=x(()=>de(s)||te(L.value)),i=ae(s),r=ae(null);oe(()=>{if(s===i.current)return;i.current=s;let y=de(s);y&&a(y)},[s]),oe(()=>()=>clearTimeout(r.current),[]);let c=(y,d={})=>{clearTimeout(r.current),i.current=X(y),C({extra:{def:i.current,...d}},{replace:!0})},p=n.extra.edit||null,[u,$]=x(n.extra.show?l:null),[S,b]=x(!1),[h,k]=x(null),[f,g]=x(!1),m=Ie(n,null),D=y=>{a(y),clearTimeout(r.current),r.current=setTimeout(()=>c(y),400)},_=()=>{$(l),c(l,{show:"1"}),requestAnimationFrame(()=>document.querySelector('[data-testid="funnel"]')?.scrollIntoView({block:"start",behavior:matchMedia("(prefers-reduced-motion: reduce)").matches?"auto":"smooth"}))},E=async y=>{let d=l.name.trim();if(!y&&d!==p&&e.some(w=>w.name===d))return g(!0);g(!1),b(!0),k(null);let v={site_id:n.site,name:d,steps:l.steps.map(V),window:l.window};m!=="none"&&(v.breakdown=W(m)),l.filters?.length&&(v.filters=l.filters),clearTimeout(r.current);try{await A.funnels.save(v),await ie(n.site),C({extra:{funnel:d,by:n.extra.by}},{keepExtra:!1})}catch(w){k(w),b(!1)}},se=()=>{clearTimeout(r.current),C({extra:p?{funnel:p,by:n.extra.by}:{}},{keepExtra:!1})},le=u&&{...j.value,steps:u.steps.map(V),window:u.window,...m!=="none"?{breakdown:W(m)}:{}};return o`
    <${Ae} draft=${l} editing=${p} defs=${L.value} onChange=${D} onShow=${_} onSave=${re(n.site,"editor")?()=>E(!1):null}
      onCancel=${se} busy=${S} error=${h} canCancel=${!0} />
    ${u?o`<${me} key="draft" body=${le} title=${u.name.trim()||t("funnels.unsaved")} name=${u.name||"funnel"}
          defs=${u.steps.map(V)} by=${m} stale=${Te(u)!==Te(l)} summary=${Le(u.steps.length,u.window)} />`:o`<p class="hint fn-show-hint">${t("funnels.show_hint")}</p>`}
    ${f?o`<${P} title=${t("funnels.overwrite_title",{name:l.name.trim()})} confirmLabel=${t("funnels.overwrite_confirm")} danger=${!1}
          onConfirm=${()=>E(!0)} onClose=${()=>g(!1)}><p>${t("funnels.overwrite_body")}</p></${P}>`:null}`}function Ln(){let e=Y.value,n=L.value,s=n.loaded&&n.site===e.site,l=e.extra.def!==void 0,a;if(!s)a=o`<${K} />`;else if(l)a=o`<${Xe} key=${e.extra.edit||"new"} funnels=${n.funnels} />`;else if(!n.funnels.length)a=o`<${Ue} />`;else{let r=e.extra.funnel,c=r?n.funnels.find(p=>p.name===r):n.funnels[0];a=c?o`<${Ve} key=${c.name} funnel=${c} />`:o`<div class="panel wide callout" role="alert"><h2>${t("funnels.not_found_title")}</h2><p>${t("funnels.not_found",{name:r})}</p></div>`}let i=l?null:e.extra.funnel||n.funnels[0]?.name;return o`<div class="view funnels">
    <h1 class="sr-only">${t("funnels.title")}</h1>
    ${s&&(n.funnels.length||l)?o`<${ze} funnels=${n.funnels} current=${i} building=${l} />`:null}
    ${a}
  </div>`}export{Ln as Funnels};
