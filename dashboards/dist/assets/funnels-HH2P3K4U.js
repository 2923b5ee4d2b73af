import{a as ie}from"./chunk-HVKKUGCP.js";import{c as B,e as ae,g as ne}from"./chunk-V5OH6PDG.js";import{a as be,b as he,c as we}from"./chunk-WAFSOXAT.js";import{A as K,F as A,G as M,H as L,I as R,K as P,b as o,c as k,d as Y,e as Q,n as t,p as N,s as me,t as I,w as Z,x as C,y as ve,z as ee}from"./chunk-BPL272P3.js";var z=["page","content_group","goal","event"],F=["30m","1h","2h","6h","1d","7d","30d"],W="1d",te=2,U=8,T={channel:"visit:channel",source:"visit:source",utm_campaign:"visit:utm_campaign",device:"visit:device",country:"visit:country"};function j(e){if(T[e])return T[e];let n=e?me(e):null;return n&&n.startsWith("visit:")?n:null}var ge=e=>T[e]||e==="none"?t(`funnels.by.${e}`):t(`dim.${e}`),_e=e=>T[e]?t(`funnels.by_title.${e}`):t("funnels.by_title_other",{dim:t(`dim.${e}`)}),Be={m:60,h:3600,d:86400,s:1};function q(e){let n=/^(\d+)([smhd])$/.exec(String(e||""));return n?+n[1]*Be[n[2]]:null}function ye(e,n){if(F.includes(e))return t(`funnels.window_opt.${e}`);let s=F.find(l=>q(l)===q(e));return s?t(`funnels.window_opt.${s}`):n.duration(q(e))}function ke(e,n){let s=F.find(l=>q(l)===e);return s?t(`funnels.window_opt.${s}`):n.duration(e)}function xe(e){let n=z.find(s=>typeof e?.[s]=="string")||"page";return{kind:n,value:e?.[n]||"",name:e?.name||"",props:n==="event"?Object.entries(e.props||{}):[]}}function V(e){let n={};if(e.name.trim()&&(n.name=e.name.trim()),n[e.kind]=e.kind==="page"||e.kind==="event"?e.value.trim():e.value,e.kind==="event"){let s=e.props.filter(([l])=>l.trim());s.length&&(n.props=Object.fromEntries(s.map(([l,a])=>[l.trim(),a.trim()])))}return n}function J(e,n){let s=e==="goal"?n.goals[0]?.name||"":e==="content_group"&&n.groups[0]?.name||"";return{kind:e,value:s,name:"",props:[]}}function se(e){return{name:"",window:W,steps:[J("page",e),J(e.goals.length?"goal":"page",e)],filters:[]}}function Se(e){return{name:e.name||"",window:e.window||W,steps:(e.steps||[]).map(xe),filters:e.filters||[]}}function X(e){let n={n:e.name,w:e.window,s:e.steps.map(s=>{let l={[s.kind]:s.value};return s.name&&(l.name=s.name),s.kind==="event"&&s.props.length&&(l.props=Object.fromEntries(s.props)),l})};return e.filters?.length&&(n.f=e.filters),JSON.stringify(n)}function re(e){try{let n=JSON.parse(e);return!n||!Array.isArray(n.s)?null:{name:typeof n.n=="string"?n.n:"",window:typeof n.w=="string"&&q(n.w)?n.w:W,steps:n.s.slice(0,U).map(xe),filters:Array.isArray(n.f)?n.f:[]}}catch{return null}}function Ce(e){let n=[];return e.steps.forEach((s,l)=>{let a=l+1;String(s.value).trim()?s.kind==="page"&&!s.value.trim().startsWith("/")?n.push({step:l,text:t("funnels.invalid.page_slash",{n:a})}):s.kind==="event"&&s.props.some(([i,u])=>i.trim()&&!u.trim())&&n.push({step:l,text:t("funnels.invalid.prop_value",{n:a})}):n.push({step:l,text:t(`funnels.invalid.${s.kind}`,{n:a})})}),e.steps.length<te&&n.push({step:null,text:t("funnels.invalid.too_few")}),n}function De(e){if(!e)return"";let n=z.find(a=>typeof e[a]=="string");if(!n)return"";let s=t(`funnels.desc.${n}`,{value:e[n]}),l=Object.entries(e.props||{});return n==="event"&&l.length&&(s+=" "+t("funnels.desc.props",{props:l.map(([a,i])=>`${a} = ${i}`).join(", ")})),s}var Le={page:"page",content_group:"group",event:"event",goal:"goal"};function ue(e){let n=z.find(s=>typeof e?.[s]=="string");return n?`${Le[n]}:${e[n]}`:null}function fe({n:e,k:n}){return e!=null?N.number(e):o`<span class="fn-hidden" title=${t("funnels.hidden_title",{k:n})}><span aria-hidden="true">${t("funnels.hidden",{k:n})}</span><span class="sr-only">${t("funnels.hidden_title",{k:n})}</span></span>`}function pe({p:e}){return e!=null?N.percent(e):o`<span class="fn-hidden" title=${t("funnels.hidden_rate")}><span aria-hidden="true">–</span><span class="sr-only">${t("funnels.hidden_rate")}</span></span>`}var de=(e,n)=>e??t("funnels.hidden",{k:n});function Fe({value:e,onChange:n}){return o`<label class="inline small fn-by">${t("funnels.breakdown_label")}
    <select value=${e} onChange=${s=>n(s.target.value)} data-testid="funnel-breakdown">
      ${["none",...Object.keys(T),...e!=="none"&&!T[e]?[e]:[]].map(s=>o`<option value=${s}>${ge(s)}</option>`)}
    </select>
  </label>`}function We({steps:e,k:n}){let s=e[0],l=e[e.length-1];return s.visitors===null?o`<p class="fn-headline">${t("funnels.headline_hidden_start",{k:n})}</p>`:l.visitors===null?o`<p class="fn-headline">${t("funnels.headline_hidden_end",{k:n,start:s.visitors})}</p>`:o`<p class="fn-headline">
    <strong>${t("funnels.headline_rate",{rate:N.percent(l.conversion_rate)})}</strong>${" "}
    ${t("funnels.headline",{done:l.visitors,start:s.visitors})}
  </p>`}function je({step:e,n,prevDef:s,def:l,prevName:a,name:i,k:u}){let p=ue(s),d=ue(l),r=e.dropoff,$=p&&d&&r!==0;return o`<div class="fn-between">
    <span class="fn-arrow" aria-hidden="true">↓</span>
    <span class="fn-between-items">
      <span><strong><${pe} p=${e.step_conversion_rate} /></strong> ${t("funnels.went_on",{n})}</span>
      <span class="fn-drop"><strong><${fe} n=${r} k=${u} /></strong> ${t("funnels.dropped",{count:typeof r=="number"?r:2})}</span>
      ${e.median_seconds_from_previous!==null&&e.median_seconds_from_previous!==void 0?o`<span>${t("funnels.median")} <strong>${N.duration(e.median_seconds_from_previous)}</strong></span>`:null}
      ${$?o`<a class="fn-where" href=${ee("journeys",{mode:"paths_from",start:p,not:d})}
            title=${t("funnels.where_title",{from:a,to:i})} data-testid="funnel-where">${t("funnels.where")}</a>`:null}
    </span>
  </div>`}function Ke({steps:e,defs:n,k:s}){return o`<ol class="fn-steps" data-testid="funnel-steps">
    ${e.map((l,a)=>{let i=l.conversion_rate===null||l.conversion_rate===void 0?null:Math.max(0,Math.min(100,l.conversion_rate));return o`<li class="fn-step" key=${a}>
        ${a>0?o`<${je} step=${l} n=${a+1} prevDef=${n[a-1]} def=${n[a]} prevName=${e[a-1].name} name=${l.name} k=${s} />`:null}
        <div class="fn-step-head">
          <span class="fn-num" aria-hidden="true">${a+1}</span>
          <span class="fn-name">
            <span class="sr-only">${t("funnels.step_n",{n:a+1})}: </span>
            <strong>${l.name}</strong>
            ${n[a]?o`<span class="fn-desc">${De(n[a])}</span>`:null}
          </span>
          <span class="fn-figs">
            <span class="fn-visitors"><strong><${fe} n=${l.visitors} k=${s} /></strong> ${t("funnels.visitors",{count:typeof l.visitors=="number"?l.visitors:2})}</span>
            ${a>0?o`<span class="fn-rate"><${pe} p=${l.conversion_rate} /> ${t("funnels.of_start")}</span>`:null}
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
        ${n.map((i,u)=>o`<th scope="col" class="num" title=${i.name}><span class="fn-th-num">${u+1}.</span> ${i.name}</th>`)}
        <th scope="col" class="num">${t("funnels.overall")}</th>
      </tr></thead>
      <tbody>
        ${a.map(i=>o`<tr key=${i.value}>
            <th scope="row">${be(l,i.value)}</th>
            ${i.steps.map(u=>o`<td class="num"><${fe} n=${u.visitors} k=${s} /></td>`)}
            <td class="num"><strong><${pe} p=${i.steps[i.steps.length-1]?.conversion_rate} /></strong></td>
          </tr>`)}
      </tbody>
    </table>
  </div>`:o`<${R}>${t("funnels.breakdown_empty")}</${R}>`}function Re(e,n,s){let l=[t("funnels.csv.step"),t("funnels.csv.name"),t("funnels.csv.visitors"),t("funnels.csv.conversion_rate"),t("funnels.csv.step_conversion_rate"),t("funnels.csv.dropoff"),t("funnels.csv.median_seconds")],a=n.steps.map((i,u)=>[u+1,i.name,de(i.visitors,s),i.conversion_rate,i.step_conversion_rate,de(i.dropoff,s),i.median_seconds_from_previous]);ie(`${Ee(e)}-steps.csv`,l,a)}function Pe(e,n,s){let l=I(n.breakdown.dimension),a=[t(`dim.${l}`),...n.steps.map((u,p)=>`${p+1}. ${u.name}`),t("funnels.csv.conversion_rate")],i=n.breakdown.results.map(u=>[u.value,...u.steps.map(p=>de(p.visitors,s)),u.steps[u.steps.length-1]?.conversion_rate]);ie(`${Ee(e)}-${l}.csv`,a,i)}var Ee=e=>String(e||"funnel").normalize("NFD").replace(/[\u0300-\u036f]/g,"").toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-|-$/g,"")||"funnel";function ce({body:e,title:n,name:s,defs:l,by:a,actions:i,stale:u,summary:p}){let d=ne(c=>A.funnel(e,{signal:c}),[JSON.stringify(e)]),r=d.data,$=r?.meta?.min_group_size??5,x=c=>ve("by",c,{replace:!0}),v=r?.steps||[],h;d.error?h=o`<${L} error=${d.error} onRetry=${d.reload} />`:r?!v.length||v[0].visitors===0?h=o`<${R}>${t("funnels.no_start")}</${R}>`:h=o`<div class=${d.loading?"stale":""} aria-busy=${d.loading?"true":"false"}>
      ${u?o`<p class="fn-outdated" role="status">${t("funnels.changed")}</p>`:null}
      <${We} steps=${v} k=${$} />
      <${Ke} steps=${v} defs=${l} k=${$} />
    </div>`:h=o`<div><${M} lines=${4} /><p class="hint fn-wait">${t("funnels.computing")}</p></div>`;let S=r?.meta?.window_seconds?t("funnels.window_note",{window:ke(r.meta.window_seconds,N)}):null;return o`
    <${P} id="funnel" wide title=${n}
      tabs=${o`<div class="fn-head-tools">${i}<${Fe} value=${a} onChange=${x} /></div>`}
      footer=${o`<span class="note">${p}</span>`}
      actions=${o`<button type="button" class="link small" onClick=${()=>Re(s,r,$)} disabled=${!v.length} data-testid="csv">${t("action.csv")}</button>`}>
      ${h}
    </${P}>
    ${a!=="none"&&r&&!d.error&&v.length>0&&v[0].visitors!==0?o`<${P} id="funnel-breakdown" wide title=${_e(a)}
          footer=${r.breakdown?o`<${he} meta=${r.meta} />`:null}
          actions=${o`<button type="button" class="link small" onClick=${()=>Pe(s,r,$)} disabled=${!r.breakdown?.results?.length} data-testid="csv-breakdown">${t("action.csv")}</button>`}>
          ${!r.breakdown||I(r.breakdown.dimension)!==a?o`<${M} />`:o`<div class=${d.loading?"stale":""}><${Me} breakdown=${r.breakdown} steps=${v} k=${$} /></div>`}
        </${P}>`:null}
    <${we} meta=${r?.meta} extra=${S} />`}var G=(...e)=>requestAnimationFrame(()=>{for(let n of e){let s=document.querySelector(n);if(s&&!s.disabled)return s.focus()}});function $e(e,n,s=!0){let l=K.value,a=s&&e?{site_id:l.site_id,date_range:l.date_range,metrics:["visitors"],dimensions:[e],filters:n||[],pagination:{limit:100}}:null;return(ne(u=>a?A.query(a,{signal:u}):Promise.resolve(null),[JSON.stringify(a)]).data?.results||[]).map(u=>u.dimensions[0]).filter(u=>u&&u!=="(other)"&&u!=="(none)"&&u!=="pageview")}function qe({step:e,i:n,count:s,defs:l,onChange:a,onMove:i,onRemove:u,problem:p}){let d=n+1,r=`fn-step-${n}`,$=c=>a({...e,...c}),x=e.props[0]?.[0]?.trim()||"",v=$e(x?`event:props:${x}`:null,e.value.trim()?[["is","event:name",[e.value.trim()]]]:[],e.kind==="event"&&!!x),h=p?`${r}-err`:void 0,S;if(e.kind==="page")S=o`<label>${t("funnels.field.page")}
      <input id=${`${r}-value`} value=${e.value} onInput=${c=>$({value:c.target.value})} placeholder=${t("funnels.field.page_placeholder")}
        list="fn-pages" autocomplete="off" spellcheck="false" aria-invalid=${p?"true":void 0} aria-describedby=${[`${r}-hint`,h].filter(Boolean).join(" ")} />
      <small class="hint" id=${`${r}-hint`}>${t("funnels.field.page_hint")}</small>
    </label>`;else if(e.kind==="goal"||e.kind==="content_group"){let c=e.kind==="goal"?l.goals:l.groups,g=c.some(m=>m.name===e.value);S=o`<label>${t(`funnels.field.${e.kind}`)}
      <select id=${`${r}-value`} value=${e.value} onChange=${m=>$({value:m.target.value})} aria-invalid=${p?"true":void 0} aria-describedby=${h}>
        ${c.length?null:o`<option value="">${t(`funnels.field.no_${e.kind}`)}</option>`}
        ${e.value&&!g?o`<option value=${e.value}>${e.value}</option>`:null}
        ${c.map(m=>o`<option value=${m.name}>${m.name}</option>`)}
      </select>
    </label>`}else S=o`<label>${t("funnels.field.event")}
      <input id=${`${r}-value`} value=${e.value} onInput=${c=>$({value:c.target.value})} placeholder=${t("funnels.field.event_placeholder")}
        list="fn-events" autocomplete="off" aria-invalid=${p?"true":void 0} aria-describedby=${h} />
    </label>`;return o`<li class="fn-edit-step" data-testid="funnel-step-editor">
    <fieldset>
      <legend class="fn-legend"><span class="fn-num" aria-hidden="true">${d}</span><span>${t("funnels.step_n",{n:d})}</span></legend>
      <div class="fn-step-tools">
        <button type="button" class="ghost small fn-icon" data-move=${`up-${n}`} onClick=${()=>i(n,-1)} disabled=${n===0}
          aria-label=${t("funnels.move_up",{n:d})} title=${t("funnels.move_up",{n:d})}>↑</button>
        <button type="button" class="ghost small fn-icon" data-move=${`down-${n}`} onClick=${()=>i(n,1)} disabled=${n===s-1}
          aria-label=${t("funnels.move_down",{n:d})} title=${t("funnels.move_down",{n:d})}>↓</button>
        <button type="button" class="ghost small fn-icon" onClick=${()=>u(n)} disabled=${s<=te}
          aria-label=${t("funnels.remove_step",{n:d})} title=${s<=te?t("funnels.min_steps"):t("funnels.remove_step",{n:d})}>✕</button>
      </div>
      <div class="fn-step-fields">
        <label>${t("funnels.field.kind")}
          <select value=${e.kind} onChange=${c=>a({...J(c.target.value,l),name:e.name})} data-testid="funnel-step-kind">
            ${z.map(c=>o`<option value=${c}>${t(`funnels.kind.${c}`)}</option>`)}
          </select>
        </label>
        ${S}
        <label>${t("funnels.field.name")}
          <input value=${e.name} onInput=${c=>$({name:c.target.value})} placeholder=${t("funnels.field.name_placeholder")} autocomplete="off" />
        </label>
      </div>
      ${e.kind==="event"?o`<div class="fn-props">
            ${e.props.map(([c,g],m)=>o`<div class="fn-prop" key=${m}>
                <label>${t("funnels.field.prop_key")}
                  <input value=${c} onInput=${D=>$({props:e.props.map((_,E)=>E===m?[D.target.value,_[1]]:_)})}
                    placeholder=${t("funnels.field.prop_key_placeholder")} autocomplete="off" spellcheck="false" />
                </label>
                <span class="fn-eq" aria-hidden="true">=</span>
                <label>${t("funnels.field.prop_value")}
                  <input value=${g} onInput=${D=>$({props:e.props.map((_,E)=>E===m?[_[0],D.target.value]:_)})}
                    list=${m===0?`${r}-propvals`:void 0} autocomplete="off" spellcheck="false" />
                </label>
                <button type="button" class="ghost small fn-icon" onClick=${()=>$({props:e.props.filter((D,_)=>_!==m)})}
                  aria-label=${t("funnels.remove_prop",{n:d})} title=${t("funnels.remove_prop",{n:d})}>✕</button>
              </div>`)}
            ${e.props.length?null:o`<button type="button" class="link small" onClick=${()=>$({props:[["",""]]})}>+ ${t("funnels.add_prop")}</button>`}
            <datalist id=${`${r}-propvals`}>${v.map(c=>o`<option value=${c}></option>`)}</datalist>
          </div>`:null}
      ${p?o`<p class="fn-problem" id=${h}>${p}</p>`:null}
    </fieldset>
  </li>`}function Ne({draft:e,editing:n,defs:s,onChange:l,onShow:a,onSave:i,onCancel:u,busy:p,error:d,canCancel:r}){let[$,x]=k(null),[v,h]=k(""),S=$e("event:name"),c=$e("event:page"),g=Ce(e),m=$==="save"&&!e.name.trim(),D=f=>$?g.find(b=>b.step===f)?.text:null,_=f=>l({...e,steps:f}),E=(f,b)=>{let w=f+b;if(w<0||w>=e.steps.length)return;let O=[...e.steps];[O[f],O[w]]=[O[w],O[f]],_(O),h(t("funnels.moved",{n:w+1}));let H=b<0?"up":"down";G(`[data-move="${H}-${w}"]`,`[data-move="${H==="up"?"down":"up"}-${w}"]`)},le=f=>{_(e.steps.filter((b,w)=>w!==f)),h(t("funnels.removed",{n:f+1})),G("#fn-add-step")},oe=()=>{_([...e.steps,J("page",s)]),G(`#fn-step-${e.steps.length}-value`)},y=f=>b=>{if(b?.preventDefault(),x(f),g.length)return G('.fn-builder [aria-invalid="true"]',".fn-problems");if(f==="save"){if(!e.name.trim())return G("#fn-name");i()}else a()};return o`<section class="panel wide fn-builder" aria-labelledby="fn-builder-title" data-testid="funnel-builder">
    <header class="panel-head"><h2 id="fn-builder-title">${n?t("funnels.builder_edit",{name:n}):t("funnels.builder_new")}</h2></header>
    <form class="panel-body fn-form" onSubmit=${y("show")} novalidate>
      <p class="hint fn-intro">${t("funnels.builder_intro")}</p>
      <div class="fn-top-fields">
        <label>${t("funnels.field.funnel_name")}
          <input id="fn-name" value=${e.name} onInput=${f=>l({...e,name:f.target.value})} placeholder=${t("funnels.field.funnel_name_placeholder")}
            autocomplete="off" maxlength="120" aria-invalid=${m?"true":void 0} aria-describedby=${m?"fn-name-err":void 0} data-testid="funnel-name" />
          ${m?o`<small class="fn-problem" id="fn-name-err">${t("funnels.invalid.name")}</small>`:null}
        </label>
        <label>${t("funnels.field.window")}
          <select value=${e.window} onChange=${f=>l({...e,window:f.target.value})} aria-describedby="fn-window-hint" data-testid="funnel-window">
            ${F.includes(e.window)?null:o`<option value=${e.window}>${e.window}</option>`}
            ${F.map(f=>o`<option value=${f}>${t(`funnels.window_opt.${f}`)}</option>`)}
          </select>
          <small class="hint" id="fn-window-hint">${t("funnels.field.window_hint")}</small>
        </label>
      </div>
      <ol class="fn-edit-steps" aria-label=${t("funnels.steps_label")}>
        ${e.steps.map((f,b)=>o`<${qe} key=${b} step=${f} i=${b} count=${e.steps.length} defs=${s}
            problem=${D(b)}
            onChange=${w=>_(e.steps.map((O,H)=>H===b?w:O))}
            onMove=${E} onRemove=${le} />`)}
      </ol>
      <div class="fn-add-row">
        <button type="button" id="fn-add-step" class="ghost" onClick=${oe} disabled=${e.steps.length>=U} data-testid="funnel-add-step">+ ${t("funnels.add_step")}</button>
        <span class="hint">${e.steps.length>=U?t("funnels.max_steps"):t("funnels.steps_count",{count:e.steps.length,max:U})}</span>
      </div>
      <p class="sr-only" aria-live="polite">${v}</p>
      <datalist id="fn-events">${S.map(f=>o`<option value=${f}></option>`)}</datalist>
      <datalist id="fn-pages">${c.map(f=>o`<option value=${f}></option>`)}</datalist>
      ${$&&g.some(f=>f.step===null)?o`<p class="fn-problems fn-problem" role="alert" tabindex="-1">${g.filter(f=>f.step===null).map(f=>f.text).join(" ")}</p>`:null}
      ${$&&g.length?o`<p class="sr-only" role="alert">${t("funnels.invalid.summary",{count:g.length})}</p>`:null}
      ${d?o`<${L} error=${d} />`:null}
      <div class="actions fn-form-actions">
        <button type="submit" class="primary" data-testid="funnel-show">${t("funnels.show")}</button>
        <button type="button" onClick=${y("save")} disabled=${p} data-testid="funnel-save">${p?t("funnels.saving"):t("funnels.save")}</button>
        ${r?o`<button type="button" class="link" onClick=${u}>${t("funnels.cancel")}</button>`:null}
      </div>
    </form>
  </section>`}function Ae(e,n){let s=e.extra.by;if(s==="none"||j(s))return s;let l=n?I(n):null;return l&&j(l)?l:"none"}var Te=(e,n)=>t("funnels.summary",{count:e,window:ye(n||W,N)});function Ie({title:e,body:n,confirm:s,danger:l,onConfirm:a,onClose:i,error:u,busy:p}){let d=Q();return Y(()=>{d.current?.showModal?.()},[]),o`<dialog ref=${d} class="dialog" onClose=${i} aria-labelledby="fn-confirm-title" aria-describedby="fn-confirm-body" data-testid="funnel-confirm">
    <form onSubmit=${r=>{r.preventDefault(),a()}}>
      <h2 id="fn-confirm-title">${e}</h2>
      <p id="fn-confirm-body">${n}</p>
      ${u?o`<${L} error=${u} />`:null}
      <div class="dialog-actions">
        <button type="button" class="ghost" onClick=${()=>d.current?.close()}>${t("funnels.cancel")}</button>
        <button type="submit" class=${l?"danger":"primary"} disabled=${p}>${s}</button>
      </div>
    </form>
  </dialog>`}function Je({funnels:e,current:n,building:s}){let l=a=>i=>{i.metaKey||i.ctrlKey||i.shiftKey||i.button||(i.preventDefault(),C({extra:{funnel:a}},{keepExtra:!1}))};return o`<div class="fn-bar">
    ${e.length?o`<nav class="fn-list" aria-label=${t("funnels.saved")}>
          <span class="fn-list-label" aria-hidden="true">${t("funnels.saved")}</span>
          <ul>
            ${e.map(a=>o`<li key=${a.name}><a href=${ee("funnels",{funnel:a.name})} class=${a.name===n?"on":""}
                aria-current=${a.name===n?"page":void 0} onClick=${l(a.name)} data-testid="funnel-link">${a.name}</a></li>`)}
          </ul>
        </nav>`:o`<span></span>`}
    ${s?null:o`<button type="button" class="primary" onClick=${()=>C({extra:{def:X(se(B.value))}},{keepExtra:!1})} data-testid="funnel-new">+ ${t("funnels.new")}</button>`}
  </div>`}function ze(){return o`<section class="panel wide callout fn-empty" aria-labelledby="fn-empty-title" data-testid="funnel-empty">
    <h2 id="fn-empty-title">${t("funnels.empty_title")}</h2>
    <p>${t("funnels.empty_body")}</p>
    <p class="hint">${t("funnels.empty_example")}</p>
    <p><button type="button" class="primary" onClick=${()=>C({extra:{def:X(se(B.value))}},{keepExtra:!1})} data-testid="funnel-new">+ ${t("funnels.new")}</button></p>
  </section>`}function Ue({funnel:e}){let n=Z.value,[s,l]=k(!1),[a,i]=k(!1),[u,p]=k(null),d=Ae(n,e.breakdown),r={...K.value,funnel:e.name};d!=="none"?r.breakdown=j(d):e.breakdown&&(delete r.funnel,Object.assign(r,{steps:e.steps,window:e.window||W}),!r.filters.length&&e.filters?.length&&(r.filters=e.filters));let $=async()=>{i(!0),p(null);try{await A.funnels.remove(n.site,e.name),await ae(n.site),l(!1),C({extra:{}},{keepExtra:!1})}catch(v){p(v)}finally{i(!1)}},x=()=>C({extra:{def:X(Se(e)),edit:e.name,show:"1",by:d}},{keepExtra:!1});return o`
    <${ce} key=${e.name} body=${r} title=${e.name} name=${e.name} defs=${e.steps||[]} by=${d}
      summary=${Te((e.steps||[]).length,e.window)}
      actions=${o`<button type="button" class="ghost small" onClick=${x} data-testid="funnel-edit">${t("funnels.edit")}</button>
        <button type="button" class="ghost small danger" onClick=${()=>l(!0)} data-testid="funnel-delete">${t("funnels.delete")}</button>`} />
    ${s?o`<${Ie} title=${t("funnels.delete_title",{name:e.name})} body=${t("funnels.delete_body")} confirm=${t("funnels.delete_confirm")} danger
          busy=${a} error=${u} onConfirm=${$} onClose=${()=>{l(!1),p(null)}} />`:null}`}var Oe=e=>JSON.stringify({s:e.steps.map(V),w:e.window});function Ve({funnels:e}){let n=Z.value,s=n.extra.def,[l,a]=k(()=>re(s)||se(B.value)),i=Q(s),u=Q(null);Y(()=>{if(s===i.current)return;i.current=s;let y=re(s);y&&a(y)},[s]),Y(()=>()=>clearTimeout(u.current),[]);let p=(y,f={})=>{clearTimeout(u.current),i.current=X(y),C({extra:{def:i.current,...f}},{replace:!0})},d=n.extra.edit||null,[r,$]=k(n.extra.show?l:null),[x,v]=k(!1),[h,S]=k(null),[c,g]=k(!1),m=Ae(n,null),D=y=>{a(y),clearTimeout(u.current),u.current=setTimeout(()=>p(y),400)},_=()=>{$(l),p(l,{show:"1"}),requestAnimationFrame(()=>document.querySelector('[data-testid="funnel"]')?.scrollIntoView({block:"start",behavior:matchMedia("(prefers-reduced-motion: reduce)").matches?"auto":"smooth"}))},E=async y=>{let f=l.name.trim();if(!y&&f!==d&&e.some(w=>w.name===f))return g(!0);g(!1),v(!0),S(null);let b={site_id:n.site,name:f,steps:l.steps.map(V),window:l.window};m!=="none"&&(b.breakdown=j(m)),l.filters?.length&&(b.filters=l.filters),clearTimeout(u.current);try{await A.funnels.save(b),await ae(n.site),C({extra:{funnel:f,by:n.extra.by}},{keepExtra:!1})}catch(w){S(w),v(!1)}},le=()=>{clearTimeout(u.current),C({extra:d?{funnel:d,by:n.extra.by}:{}},{keepExtra:!1})},oe=r&&{...K.value,steps:r.steps.map(V),window:r.window,...m!=="none"?{breakdown:j(m)}:{}};return o`
    <${Ne} draft=${l} editing=${d} defs=${B.value} onChange=${D} onShow=${_} onSave=${()=>E(!1)}
      onCancel=${le} busy=${x} error=${h} canCancel=${!0} />
    ${r?o`<${ce} key="draft" body=${oe} title=${r.name.trim()||t("funnels.unsaved")} name=${r.name||"funnel"}
          defs=${r.steps.map(V)} by=${m} stale=${Oe(r)!==Oe(l)} summary=${Te(r.steps.length,r.window)} />`:o`<p class="hint fn-show-hint">${t("funnels.show_hint")}</p>`}
    ${c?o`<${Ie} title=${t("funnels.overwrite_title",{name:l.name.trim()})} body=${t("funnels.overwrite_body")} confirm=${t("funnels.overwrite_confirm")}
          onConfirm=${()=>E(!0)} onClose=${()=>g(!1)} />`:null}`}function An(){let e=Z.value,n=B.value,s=n.loaded&&n.site===e.site,l=e.extra.def!==void 0,a;if(!s)a=o`<${M} />`;else if(l)a=o`<${Ve} key=${e.extra.edit||"new"} funnels=${n.funnels} />`;else if(!n.funnels.length)a=o`<${ze} />`;else{let u=e.extra.funnel,p=u?n.funnels.find(d=>d.name===u):n.funnels[0];a=p?o`<${Ue} key=${p.name} funnel=${p} />`:o`<div class="panel wide callout" role="alert"><h2>${t("funnels.not_found_title")}</h2><p>${t("funnels.not_found",{name:u})}</p></div>`}let i=l?null:e.extra.funnel||n.funnels[0]?.name;return o`<div class="view funnels">
    <h1 class="sr-only">${t("funnels.title")}</h1>
    ${s&&(n.funnels.length||l)?o`<${Je} funnels=${n.funnels} current=${i} building=${l} />`:null}
    ${a}
  </div>`}export{An as Funnels};
