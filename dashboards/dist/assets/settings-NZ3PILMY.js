import{a as lt,b as tt,c as rt,d as Q,e as ct}from"./chunk-6IO624AV.js";import{a as pt}from"./chunk-IBNIFMBW.js";import{a as Y,b as ot,c as Z,d as U,e as K,f as V,g as j}from"./chunk-MPTFYR4A.js";import{D as h,E as I,F as D,G as R,I as p,b as i,c as d,d as F,e as q,f as nt,l as J,m as t,o as M,v as it,x as at,y as C}from"./chunk-ES4WFYXR.js";function _({title:e,children:s}){return i`<header class="settings-head">
    <h1 id="settings-h" tabindex="-1">${e}</h1>
    ${s?i`<p class="settings-intro">${s}</p>`:null}
  </header>`}function qt(){document.getElementById("settings-h")?.focus()}function A({msg:e}){return i`<div class="notice-slot" role="status" aria-live="polite" data-testid="notice">
    ${e?i`<p class="notice"><span aria-hidden="true">✓ </span>${e}</p>`:null}
  </div>`}function z(){let[e,s]=d(""),n=q();F(()=>()=>clearTimeout(n.current),[]);let a=nt(l=>{clearTimeout(n.current),s(l),n.current=setTimeout(()=>s(""),1e4)},[]);return[e,a]}function T({error:e,onRetry:s}){return e?e.status===400?i`<div class="error-note" role="alert">
      <strong>${t("settings.refused")}</strong>
      <span>${t("settings.refused_reason")} <code>${e.message}</code></span>
    </div>`:i`<${D} error=${e} onRetry=${s} />`:null}function O(e){return i`<${pt} ...${e} Problem=${T} afterConfirm=${qt} />`}function dt(e,{commas:s=!1}={}){return String(e||"").split(s?/[\n,]/:/\n/).map(n=>n.trim()).filter(Boolean)}var ut=e=>String(e).padStart(2,"0");function W(e){let s=new Date(e);return!e||Number.isNaN(s.getTime())?"\u2013":new Date().toDateString()===s.toDateString()?M.time(e):`${M.day(`${s.getFullYear()}-${ut(s.getMonth()+1)}-${ut(s.getDate())}`)} ${M.time(e)}`}function $t(e,s=Date.now()){let n=new Date(e).getTime();return Number.isNaN(n)?"\u2013":M.duration(Math.max(0,(s-n)/1e3))}function At(e){let s=[];try{s=Intl.supportedValuesOf("timeZone")}catch{}return s.includes(e)?s:[e,...s]}function zt({site:e}){let s=V(e),[n,a]=d(s?.timezone||""),[l,o]=d(!1),[r,u]=d(null),[m,g]=z(),f=j($=>s?Promise.resolve(null):h.query({site_id:e,metrics:["visitors"],date_range:"day"},{signal:$}),[e,!!s]);if(!s){if(Y.value===null||f.loading)return i`<${I} lines=${1} />`;let $=f.data?.meta?.time_zone;return i`<p class="settings-value">${$?i`<strong>${$}</strong>`:"\u2013"}</p>
      <p class="hint">${t("settings.site.tz_readonly")}</p>`}return i`<form class="inline-form" onSubmit=${async $=>{$.preventDefault(),o(!0),u(null);try{await h.sites.update({site_id:e,timezone:n}),await U(),g(t("settings.site.tz_saved",{tz:n}))}catch(w){u(w)}o(!1)}}>
    <label><span class="sr-only">${t("settings.site.tz")}</span>
      <select value=${n} onChange=${$=>a($.target.value)} data-testid="tz">
        ${At(n).map($=>i`<option value=${$}>${$}</option>`)}
      </select>
    </label>
    <button type="submit" class="primary" disabled=${l||n===s.timezone}>${l?t("settings.working"):t("settings.site.tz_save")}</button>
    <${T} error=${r} />
    <${A} msg=${m} />
  </form>`}function Rt({id:e,checked:s,onChange:n}){return i`<li class="option">
    <label class="check option-label">
      <input type="checkbox" checked=${s} onChange=${a=>n(a.target.checked)} aria-describedby=${"opt-"+e} data-testid=${"opt-"+e} />
      <span><strong>${t(`settings.site.opt.${e}.title`)}</strong> <code>data-${e}</code></span>
    </label>
    <p class="hint" id=${"opt-"+e}>${t(`settings.site.opt.${e}.body`)}</p>
  </li>`}var jt="parcours('Booking Confirmed', {props: {specialty: 'cardiologie'}})",Ot="<script>window.parcours = window.parcours || function() { (window.parcours.q = window.parcours.q || []).push(arguments) }<\/script>";function mt({site:e}){let[s,n]=d({}),a=(o,r)=>n(u=>({...u,[o]:r})),l=tt.filter(o=>s[o]).length+((s.exclude||"").trim()?1:0);return i`<div class="settings-section">
    <${_} title=${t("settings.site.title")}>${t("settings.site.intro")}</${_}>

    <${p} id="site-details" title=${t("settings.site.details")}>
      <dl class="facts">
        <div><dt>${t("settings.site.domain")}</dt>
          <dd><code class="big" data-testid="site-domain">${e}</code>
            <p class="hint">${t("settings.site.domain_hint")}</p></dd></div>
        <div><dt>${t("settings.site.tz")}</dt>
          <dd><${zt} site=${e} />
            <p class="hint">${t("settings.site.tz_hint")}</p></dd></div>
      </dl>
    </${p}>

    <${p} id="site-snippet" title=${t("settings.site.install")}
      footer=${i`<a href=${C("settings",{section:"install"})}>${t("settings.site.then_check")}</a>`}>
      <ol class="steps">
        <li>${t("settings.site.step_paste")}</li>
        <li>${l?t("settings.site.step_options_some",{count:l}):t("settings.site.step_options")}</li>
        <li>${t("settings.site.step_check")}</li>
      </ol>
      <${ct} domain=${e} opts=${s} />
      <details class="more">
        <summary>${t("settings.site.noscript_title")}</summary>
        <p>${t("settings.site.noscript_body")}</p>
        <${Q} text=${rt(e)} label=${t("settings.site.noscript_label")} testid="noscript" />
      </details>
    </${p}>

    <${p} id="site-options" title=${t("settings.site.options")}>
      <p>${t("settings.site.options_intro")}</p>
      <ul class="options">
        ${tt.map(o=>i`<${Rt} id=${o} checked=${!!s[o]} onChange=${r=>a(o,r)} />`)}
        <li class="option exclude">
          <label class="option-label" for="opt-exclude-input"><span><strong>${t("settings.site.opt.exclude.title")}</strong> <code>data-exclude</code></span></label>
          <p class="hint" id="opt-exclude">${t("settings.site.opt.exclude.body")}</p>
          <input id="opt-exclude-input" class="wide" value=${s.exclude||""} placeholder="/admin/*, /espace-patient/**"
            aria-describedby="opt-exclude" onInput=${o=>a("exclude",o.target.value)} data-testid="opt-exclude" />
        </li>
      </ul>
      <p class="hint">${t("settings.site.options_more")}</p>
    </${p}>

    <${p} id="site-events" title=${t("settings.site.events")}
      footer=${i`<a href=${C("settings",{section:"goals"})}>${t("settings.site.events_goal")}</a>`}>
      <p>${t("settings.site.events_intro")}</p>
      <${Q} text=${jt} label=${t("settings.site.events_label")} testid="event-code" />
      <p>${t("settings.site.events_props")}</p>
      <p class="callout-warn"><strong>${t("settings.site.events_warn_title")}</strong> ${t("settings.site.events_warn")}</p>
      <details class="more">
        <summary>${t("settings.site.stub_title")}</summary>
        <p>${t("settings.site.stub_body")}</p>
        <${Q} text=${Ot} label=${t("settings.site.stub_label")} testid="stub-code" />
      </details>
    </${p}>
  </div>`}var ft=4e3;function Ft(e){let[s,n]=d({data:null,error:null,at:null,fresh:!1}),[a,l]=d(0);return F(()=>{let o=!0,r,u,m=async()=>{if(clearTimeout(r),document.visibilityState!=="hidden"){u?.abort(),u=new AbortController;try{let f=await h.installCheck(e,{signal:u.signal});if(!o)return;n(v=>({data:f,error:null,at:new Date().toISOString(),fresh:!!v.data&&f.last_event_at!==v.data.last_event_at}))}catch(f){if(!o||f?.name==="AbortError")return;n(v=>({...v,error:f,at:new Date().toISOString()}))}}o&&(r=setTimeout(m,ft))};m();let g=()=>document.visibilityState==="visible"&&m();return document.addEventListener("visibilitychange",g),l(()=>m),()=>{o=!1,clearTimeout(r),u?.abort(),document.removeEventListener("visibilitychange",g)}},[e]),{...s,checkNow:a}}function Bt({a:e,fresh:s}){let n=e.events_last_5_minutes??0,a=e.events_last_30_minutes??0,l=e.last_event_at,o=n>0?"ok":a>0||l?"quiet":"none",r=n>0?t("settings.install.arriving",{count:n,time:W(l)}):a>0?t("settings.install.quiet_30",{count:a,time:W(l)}):l?t("settings.install.quiet_old",{time:W(l)}):t("settings.install.never",{days:e.meta?.last_event_window_days??30});return i`<div class=${`install-status lvl-${o}${s?" fresh":""}`} data-testid="install-status" data-level=${o}>
    <span class="install-dot" aria-hidden="true"></span>
    <div>
      <p class="install-head" role="status" aria-live="polite">${r}</p>
      ${n>0||a>0?i`<p class="install-sub">${t("settings.install.detail",{pageviews:e.pageviews_last_5_minutes??0,events30:a})}${l?" "+t("settings.install.ago",{ago:$t(l)}):""}</p>`:i`<p class="install-sub">${t("settings.install.none_sub")}</p>`}
    </div>
  </div>`}var Lt=["domain","real_visit","registered","proxy","blocker","dnt","csp","ignore"];function Ht({id:e,site:s}){let n=V(s),a=null;return e==="domain"&&(a=i` <span class="cause-compare">${t("settings.install.registered_domain")} <code class="big">${s}</code></span>`),e==="dnt"&&n&&(a=i` <strong>${t(n.respect_dnt?"settings.install.dnt_on":"settings.install.dnt_off")}</strong>`),e==="csp"&&(a=i` <code>${location.origin}</code>`),i`<li class="cause" data-testid=${"cause-"+e}>
    <input type="checkbox" id=${"cause-"+e} aria-describedby=${"cause-"+e+"-d"} />
    <div>
      <label for=${"cause-"+e} class="cause-title">${t(`settings.install.cause.${e}.title`)}</label>
      <p id=${"cause-"+e+"-d"}>${t(`settings.install.cause.${e}.body`)}${a}</p>
    </div>
  </li>`}function gt(e,s){let n=`settings.install.reason.${e}.${s}`;return J(n)?t(n):null}function Mt({drops:e,site:s}){return e.length?i`<ul class="drops" data-testid="drops">
    ${e.map(n=>{let a=gt(n.reason,"title"),l=n.domain&&n.domain!==s;return i`<li class="drop">
        <div class="drop-head">
          <strong>${a||n.reason}</strong>
          <span class="drop-count">${t("settings.install.drop_count",{count:n.count??0})}</span>
        </div>
        <p>${gt(n.reason,"body")||t("settings.install.reason_unknown")}</p>
        <p class="hint">
          ${t("settings.install.drop_domain")} <code>${n.domain||"\u2013"}</code>${l?i` <span class="warn">${t("settings.install.drop_other_domain",{site:s})}</span>`:null}${" \xB7 "}${t("settings.install.drop_last",{time:W(n.last_at)})}
        </p>
      </li>`})}
  </ul>`:i`<p class="empty" data-testid="drops-none">${t("settings.install.drops_none")}</p>`}function vt({site:e}){let s=Ft(e),n=s.data,a=n&&(n.events_last_5_minutes??0)>0,l=`https://${e}/`;return i`<div class="settings-section">
    <${_} title=${t("settings.install.title")}>${t("settings.install.intro")}</${_}>

    <${p} id="install-live" title=${t("settings.install.live")}
      actions=${i`<button type="button" class="small" onClick=${()=>s.checkNow&&s.checkNow()} data-testid="check-now">${t("settings.install.check_now")}</button>`}
      footer=${s.at?t("settings.install.checked",{time:M.time(s.at),every:ft/1e3}):null}>
      ${n?i`<${Bt} a=${n} fresh=${s.fresh} />
            ${s.error?i`<${D} error=${s.error} />`:null}`:s.error?i`<${D} error=${s.error} onRetry=${s.checkNow} />`:i`<${I} lines=${2} />`}
      <div class="test-visit">
        <h3>${t("settings.install.test_title")}</h3>
        <ol class="steps">
          <li>${t("settings.install.test_1")} <a href=${l} target="_blank" rel="noopener noreferrer">${l}<span class="sr-only"> ${t("settings.install.new_tab")}</span></a></li>
          <li>${t("settings.install.test_2")}</li>
        </ol>
      </div>
    </${p}>

    <${p} id="install-causes" title=${a?t("settings.install.causes_title_ok"):t("settings.install.causes_title")}>
      <p>${a?t("settings.install.causes_intro_ok"):t("settings.install.causes_intro")}</p>
      <ul class="causes">${Lt.map(o=>i`<${Ht} id=${o} site=${e} />`)}</ul>
      <p class="hint"><a href=${C("settings",{})}>${t("settings.install.back_to_snippet")}</a></p>
    </${p}>

    <${p} id="install-drops" title=${t("settings.install.drops_title")}>
      <p class="hint">${t("settings.install.drops_intro",{minutes:Math.round((n?.meta?.drops_window_seconds??600)/60)})}${n?.meta?.drops_scope?" "+t("settings.install.drops_scope"):""}</p>
      ${n?i`<${Mt} drops=${n.recent_drops||[]} site=${e} />`:s.error?null:i`<${I} lines=${2} />`}
    </${p}>
  </div>`}var ht={name:"",kind:"event",event_name:"",page:""};function bt(e){return(Z.value.funnels||[]).filter(s=>(s.steps||[]).some(n=>n.goal===e)).map(s=>s.name)}function Gt({site:e,goals:s,editing:n,onSaved:a,onCancel:l}){let[o,r]=d(n?{name:n.name,kind:n.event_name?"event":"page",event_name:n.event_name||"",page:n.page||""}:ht),[u,m]=d(!1),[g,f]=d(null),[v,$]=d(""),w=q(),P=c=>b=>r({...o,[c]:b.target.value}),N=(j(c=>h.query({site_id:e,metrics:["visitors"],date_range:"30d",dimensions:["event:name"],pagination:{limit:30}},{signal:c}),[e]).data?.results||[]).map(c=>c.dimensions[0]).filter(c=>c&&c!=="(other)"&&c!=="pageview"),B=!n&&s.some(c=>c.name===o.name.trim());return i`<form class="settings-form" onSubmit=${async c=>{c.preventDefault();let b=o.name.trim(),x=o.kind==="event"?o.event_name.trim():o.page.trim();if(o.kind==="page"&&!x.startsWith("/"))return $(t("settings.goals.page_slash"));$(""),m(!0),f(null);try{await h.goals.save({site_id:e,name:b,...o.kind==="event"?{event_name:x}:{page:x}}),n&&n.name!==b&&await h.goals.remove(e,n.name),r(ht),await a(b,!!n),w.current?.focus()}catch(L){f(L)}m(!1)}} data-testid="goal-form" aria-labelledby="panel-goal-form">
    <label>${t("settings.goals.name")}
      <input ref=${w} value=${o.name} onInput=${P("name")} required maxlength="120" placeholder=${t("settings.goals.name_ph")} aria-describedby="goal-name-hint" data-testid="goal-name" />
      <small class="hint" id="goal-name-hint">${B?i`<span class="warn">${t("settings.goals.clash")}</span>`:t("settings.goals.name_hint")}</small>
    </label>
    <fieldset class="choice">
      <legend>${t("settings.goals.kind")}</legend>
      <label class="check"><input type="radio" name="goal-kind" value="event" checked=${o.kind==="event"} onChange=${()=>r({...o,kind:"event"})} data-testid="goal-kind-event" /> ${t("settings.goals.kind_event")}</label>
      <label class="check"><input type="radio" name="goal-kind" value="page" checked=${o.kind==="page"} onChange=${()=>r({...o,kind:"page"})} data-testid="goal-kind-page" /> ${t("settings.goals.kind_page")}</label>
    </fieldset>
    ${o.kind==="event"?i`<label>${t("settings.goals.event_name")}
            <input value=${o.event_name} onInput=${P("event_name")} required maxlength="200" list="goal-events" placeholder="Booking Confirmed" aria-describedby="goal-event-hint" data-testid="goal-event" />
            <small class="hint" id="goal-event-hint">${t("settings.goals.event_hint")}</small>
          </label>
          <datalist id="goal-events">${N.map(c=>i`<option value=${c}></option>`)}</datalist>
          ${N.length?i`<div class="suggestions" role="group" aria-label=${t("settings.goals.seen")}>
                <span class="hint">${t("settings.goals.seen")}</span>
                ${N.slice(0,12).map(c=>i`<button type="button" class="suggestion" aria-pressed=${o.event_name===c?"true":"false"} onClick=${()=>r({...o,event_name:c})}>${c}</button>`)}
              </div>`:null}`:i`<label>${t("settings.goals.page")}
          <input value=${o.page} onInput=${P("page")} required maxlength="500" placeholder="/prendre-rendez-vous/confirmation" aria-describedby="goal-page-hint" aria-invalid=${v?"true":void 0} data-testid="goal-page" />
          <small class="hint" id="goal-page-hint">${v?i`<span class="warn">${v}</span> `:null}${t("settings.goals.page_hint")}</small>
        </label>`}
    <${T} error=${g} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${u} data-testid="goal-save">${u?t("settings.working"):n?t("settings.save_changes"):t("settings.goals.add")}</button>
      ${n?i`<button type="button" class="ghost" onClick=${l}>${t("action.cancel")}</button>`:null}
    </div>
  </form>`}function Kt(e){return e.event_name?t("settings.goals.when_event"):t("settings.goals.when_page")}function yt({site:e}){let s=j(()=>h.goals.list(e),[e]),[n,a]=d(null),[l,o]=d(null),[r,u]=z(),m=q(),g=s.data?.goals||[],f=async()=>{s.reload(),await K(e)},v=$=>{a($),requestAnimationFrame(()=>{m.current?.scrollIntoView({block:"start",behavior:"smooth"}),m.current?.querySelector("input")?.focus({preventScroll:!0})})};return i`<div class="settings-section">
    <${_} title=${t("settings.goals.title")}>${t("settings.goals.intro")}</${_}>
    <${A} msg=${r} />

    <${p} id="goals-list" title=${t("settings.goals.list")}>
      ${s.error?i`<${D} error=${s.error} onRetry=${s.reload} />`:s.data?g.length?i`<ul class=${s.loading?"defs stale":"defs"} data-testid="goals">
                ${g.map($=>i`<li class="def">
                    <div class="def-main">
                      <strong class="def-name">${$.name}</strong>
                      <span class="def-what">${Kt($)} <code>${$.event_name||$.page}</code></span>
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small" onClick=${()=>v($)}>${t("action.edit")}<span class="sr-only"> ${$.name}</span></button>
                      <button type="button" class="small danger" onClick=${()=>o($)} data-testid="goal-delete">${t("action.delete")}<span class="sr-only"> ${$.name}</span></button>
                    </div>
                  </li>`)}
              </ul>`:i`<${R}>${t("settings.goals.empty")}</${R}>`:i`<${I} />`}
    </${p}>

    <div ref=${m}>
      <${p} id="goal-form" title=${n?t("settings.goals.edit_title",{name:n.name}):t("settings.goals.add_title")}
        footer=${i`${t("settings.goals.where")} <a href=${C("overview")}>${t("nav.overview")}</a>, <a href=${C("funnels")}>${t("nav.funnels")}</a>, <a href=${C("attribution")}>${t("nav.attribution")}</a>`}>
        <${Gt} key=${n?n.name:"new"} site=${e} goals=${g} editing=${n}
          onCancel=${()=>a(null)}
          onSaved=${async($,w)=>{a(null),await f(),u(t(w?"settings.goals.saved":"settings.goals.added",{name:$}))}} />
      </${p}>
    </div>

    ${l?i`<${O} title=${t("settings.goals.delete_title",{name:l.name})} confirmLabel=${t("settings.goals.delete_confirm")}
          onClose=${()=>o(null)}
          onConfirm=${async()=>{await h.goals.remove(e,l.name),n?.name===l.name&&a(null),await f(),u(t("settings.goals.deleted",{name:l.name}))}}>
          <p>${t("settings.goals.delete_body")}</p>
          ${bt(l.name).length?i`<p class="warn">${t("settings.goals.delete_used",{funnels:bt(l.name).join(", ")})}</p>`:null}
        </${O}>`:null}
  </div>`}function Vt(e){if(!e.startsWith("/"))return null;let s="^";for(let n=0;n<e.length;n++){let a=e[n];a==="*"?e[n+1]==="*"?(n++,s.endsWith("/")&&n===e.length-1?s=s.slice(0,-1)+"(/.*)?":s+=".*"):s+="[^/]*":s+=a.replace(/[.*+?^${}()|[\]\\]/g,"\\$&")}return new RegExp(s+"$")}function Ut(e){let s=e.trim();if(!s)return"";try{return new URL(s,"https://example.org").pathname}catch{return s}}function _t(e){return(Z.value.funnels||[]).filter(s=>(s.steps||[]).some(n=>n.content_group===e)).map(s=>s.name)}var Wt=(e,s)=>e.position-s.position||e.name.localeCompare(s.name);function Jt({groups:e}){let[s,n]=d(""),a=Ut(s),l=a?e.filter(o=>(o.patterns||[]).some(r=>Vt(r)?.test(a))):[];return i`<div class="tester" data-testid="group-tester">
    <label>${t("settings.groups.test_label")}
      <input value=${s} onInput=${o=>n(o.target.value)} placeholder="/symptomes/migraine" aria-describedby="group-test-result" data-testid="group-test" />
    </label>
    <p id="group-test-result" class="tester-result" aria-live="polite">
      ${a?l.length?i`${t("settings.groups.test_in")} <strong>${l[0].name}</strong>${l.length>1?i` <span class="hint">${t("settings.groups.test_also",{names:l.slice(1).map(o=>o.name).join(", ")})}</span>`:null}`:t("settings.groups.test_none"):i`<span class="hint">${t("settings.groups.test_hint")}</span>`}
    </p>
  </div>`}function Yt({site:e,groups:s,editing:n,onSaved:a,onCancel:l}){let o=s.reduce((y,k)=>Math.max(y,k.position||0),0)+1,[r,u]=d(n?.name||""),[m,g]=d(n?.patterns?.length?n.patterns:[""]),[f,v]=d(String(n?n.position:o)),[$,w]=d(!1),[P,S]=d(null),[N,B]=d(-1),G=q(),c=(y,k)=>g(m.map((H,E)=>E===y?k:H)),b=()=>{g([...m,""]),requestAnimationFrame(()=>{let y=G.current?.querySelectorAll("input");y?.[y.length-1]?.focus()})},x=!n&&s.some(y=>y.name===r.trim());return i`<form class="settings-form" onSubmit=${async y=>{y.preventDefault();let k=m.map(E=>E.trim()).filter(Boolean),H=m.findIndex(E=>E.trim()&&!E.trim().startsWith("/"));if(B(H),!(H>=0||!k.length)){w(!0),S(null);try{let E=r.trim();await h.groups.save({site_id:e,name:E,patterns:k,position:Math.max(0,parseInt(f,10)||0)}),n&&n.name!==E&&await h.groups.remove(e,n.name),await a(E,!!n)}catch(E){S(E)}w(!1)}}} data-testid="group-form" aria-labelledby="panel-group-form">
    <label>${t("settings.groups.name")}
      <input value=${r} onInput=${y=>u(y.target.value)} required maxlength="120" placeholder=${t("settings.groups.name_ph")} aria-describedby="group-name-hint" data-testid="group-name" />
      <small class="hint" id="group-name-hint">${x?i`<span class="warn">${t("settings.groups.clash")}</span>`:t("settings.groups.name_hint")}</small>
    </label>
    <fieldset class="patterns">
      <legend>${t("settings.groups.patterns")}</legend>
      <p class="hint" id="group-patterns-hint">${t("settings.groups.patterns_hint")}</p>
      <ul ref=${G}>
        ${m.map((y,k)=>i`<li>
            <input value=${y} onInput=${H=>c(k,H.target.value)} placeholder="/symptomes/**" required=${k===0}
              aria-label=${t("settings.groups.pattern_n",{n:k+1})} aria-describedby="group-patterns-hint" aria-invalid=${N===k?"true":void 0} data-testid="group-pattern" />
            ${m.length>1?i`<button type="button" class="small ghost" onClick=${()=>g(m.filter((H,E)=>E!==k))}>${t("settings.groups.pattern_remove")}<span class="sr-only"> ${t("settings.groups.pattern_n",{n:k+1})}</span></button>`:null}
            ${N===k?i`<span class="warn hint" role="alert">${t("settings.groups.pattern_slash")}</span>`:null}
          </li>`)}
      </ul>
      <button type="button" class="small" onClick=${b} data-testid="group-add-pattern">${t("settings.groups.pattern_add")}</button>
    </fieldset>
    <label class="narrow">${t("settings.groups.position")}
      <input type="number" min="0" step="1" value=${f} onInput=${y=>v(y.target.value)} aria-describedby="group-pos-hint" data-testid="group-position" />
      <small class="hint" id="group-pos-hint">${t("settings.groups.position_hint")}</small>
    </label>
    <${T} error=${P} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${$} data-testid="group-save">${$?t("settings.working"):n?t("settings.save_changes"):t("settings.groups.add")}</button>
      ${n?i`<button type="button" class="ghost" onClick=${l}>${t("action.cancel")}</button>`:null}
    </div>
  </form>`}function kt({site:e}){let s=j(()=>h.groups.list(e),[e]),[n,a]=d(null),[l,o]=d(null),[r,u]=d(!1),[m,g]=d(null),[f,v]=d(null),[$,w]=z(),P=q(),S=[...s.data?.content_groups||[]].sort(Wt);F(()=>{if(!f||s.loading)return;let c=[...document.querySelectorAll("[data-testid=groups] > li")].find(y=>y.dataset.group===f.name),[b,x]=c?c.querySelectorAll("button.move"):[];(f.by<0?b?.disabled?x:b:x?.disabled?b:x)?.focus(),v(null)},[s.data,s.loading,f]);let N=async()=>{s.reload(),await K(e)},B=c=>{a(c),requestAnimationFrame(()=>{P.current?.scrollIntoView({block:"start",behavior:"smooth"}),P.current?.querySelector("input")?.focus({preventScroll:!0})})},G=async(c,b)=>{if(r)return;let x=[...S],[L]=x.splice(c,1);x.splice(c+b,0,L),u(!0),g(null);try{for(let[y,k]of x.entries())k.position!==y+1&&await h.groups.save({site_id:e,name:k.name,patterns:k.patterns,position:y+1});await N(),v({name:L.name,by:b}),w(t("settings.groups.moved",{name:L.name,n:c+b+1}))}catch(y){g(y),s.reload()}u(!1)};return i`<div class="settings-section">
    <${_} title=${t("settings.groups.title")}>${t("settings.groups.intro")}</${_}>
    <${A} msg=${$} />

    <${p} id="groups-list" title=${t("settings.groups.list")} footer=${t("settings.groups.order_note")}>
      <${T} error=${m} />
      ${s.error?i`<${D} error=${s.error} onRetry=${s.reload} />`:s.data?S.length?i`<ol class=${s.loading||r?"defs stale":"defs"} data-testid="groups">
                ${S.map((c,b)=>i`<li class="def" key=${c.name} data-group=${c.name}>
                    <span class="def-pos" title=${t("settings.groups.position")}>${b+1}</span>
                    <div class="def-main">
                      <strong class="def-name">${c.name}</strong>
                      <span class="def-what">${(c.patterns||[]).map(x=>i`<code>${x}</code> `)}</span>
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small ghost move" disabled=${b===0} aria-disabled=${r?"true":void 0} onClick=${()=>G(b,-1)}
                        aria-label=${t("settings.groups.up",{name:c.name})} title=${t("settings.groups.up",{name:c.name})}>↑</button>
                      <button type="button" class="small ghost move" disabled=${b===S.length-1} aria-disabled=${r?"true":void 0} onClick=${()=>G(b,1)}
                        aria-label=${t("settings.groups.down",{name:c.name})} title=${t("settings.groups.down",{name:c.name})}>↓</button>
                      <button type="button" class="small" onClick=${()=>B(c)}>${t("action.edit")}<span class="sr-only"> ${c.name}</span></button>
                      <button type="button" class="small danger" onClick=${()=>o(c)} data-testid="group-delete">${t("action.delete")}<span class="sr-only"> ${c.name}</span></button>
                    </div>
                  </li>`)}
              </ol>`:i`<${R}>${t("settings.groups.empty")}</${R}>`:i`<${I} />`}
      ${S.length?i`<${Jt} groups=${S} />`:null}
    </${p}>

    <div ref=${P}>
      <${p} id="group-form" title=${n?t("settings.groups.edit_title",{name:n.name}):t("settings.groups.add_title")}>
        <div class="form-with-help">
          <${Yt} key=${n?n.name:"new"+S.length} site=${e} groups=${S} editing=${n}
            onCancel=${()=>a(null)}
            onSaved=${async(c,b)=>{a(null),await N(),w(t(b?"settings.groups.saved":"settings.groups.added",{name:c}))}} />
          <div class="pattern-help">
            <h3 id="pattern-help-h">${t("settings.groups.help_title")}</h3>
            <dl>
              <div><dt><code>/medecins/*</code></dt><dd>${t("settings.groups.help_star")}</dd></div>
              <div><dt><code>/symptomes/**</code></dt><dd>${t("settings.groups.help_double")}</dd></div>
              <div><dt><code>/contact</code></dt><dd>${t("settings.groups.help_exact")}</dd></div>
            </dl>
            <p class="hint">${t("settings.groups.help_more")}</p>
          </div>
        </div>
      </${p}>
    </div>

    ${l?i`<${O} title=${t("settings.groups.delete_title",{name:l.name})} confirmLabel=${t("settings.groups.delete_confirm")}
          onClose=${()=>o(null)}
          onConfirm=${async()=>{await h.groups.remove(e,l.name),n?.name===l.name&&a(null),await N(),w(t("settings.groups.deleted",{name:l.name}))}}>
          <p>${t("settings.groups.delete_body")}</p>
          ${_t(l.name).length?i`<p class="warn">${t("settings.groups.delete_used",{funnels:_t(l.name).join(", ")})}</p>`:null}
        </${O}>`:null}
  </div>`}var Zt=["content_group","page","goal","event"];function Qt({s:e}){let s=Zt.find(l=>e[l]!==void 0&&e[l]!==null&&e[l]!==""),n=s?e[s]:"",a=e.props&&Object.keys(e.props).length?Object.entries(e.props).map(([l,o])=>`${l} = ${o}`).join(", "):"";return i`<li class="funnel-step">
    <span class="step-name">${e.name||n}</span>
    ${s?i`<span class="step-what">${t(`settings.funnels.kind.${s}`)} ${s==="page"||s==="event"?i`<code>${n}</code>`:n!==e.name?i`<em>${n}</em>`:null}${a?i` <span class="hint">(${a})</span>`:null}</span>`:null}
  </li>`}function Xt(e){let s=/^(\d+)\s*([smhd])$/.exec(String(e||"1d"));return s?t(`settings.funnels.win_${s[2]}`,{count:+s[1]}):String(e)}function te(e){let s=String(e).replace(/^(visit|event):/,"");return J(`dim.${s}`)?t(`dim.${s}`):s}function wt({site:e}){let s=j(()=>h.funnels.list(e),[e]),[n,a]=d(null),[l,o]=z(),r=s.data?.funnels||[];return i`<div class="settings-section">
    <${_} title=${t("settings.funnels.title")}>${t("settings.funnels.intro")}</${_}>
    <${A} msg=${l} />
    <${p} id="funnels-list" title=${t("settings.funnels.list")}
      footer=${i`<a href=${C("funnels")}>${t("settings.funnels.build")}</a>`}>
      ${s.error?i`<${D} error=${s.error} onRetry=${s.reload} />`:s.data?r.length?i`<ul class=${s.loading?"funnel-list stale":"funnel-list"} data-testid="funnels">
                ${r.map(u=>i`<li class="funnel-card" key=${u.name}>
                    <div class="funnel-head">
                      <h3 class="funnel-name">${u.name}</h3>
                      <div class="def-actions">
                        <a class="button small" href=${C("funnels",{funnel:u.name})}>${t("settings.funnels.open")}<span class="sr-only"> ${u.name}</span></a>
                        <button type="button" class="small danger" onClick=${()=>a(u)} data-testid="funnel-delete">${t("action.delete")}<span class="sr-only"> ${u.name}</span></button>
                      </div>
                    </div>
                    <ol class="funnel-steps" aria-label=${t("settings.funnels.steps",{count:(u.steps||[]).length})}>
                      ${(u.steps||[]).map(m=>i`<${Qt} s=${m} />`)}
                    </ol>
                    <p class="hint">
                      ${t("settings.funnels.steps",{count:(u.steps||[]).length})} · ${t("settings.funnels.within",{window:Xt(u.window)})}${u.breakdown?` \xB7 ${t("settings.funnels.by",{dim:te(u.breakdown)})}`:""}${u.filters?.length?` \xB7 ${t("settings.funnels.filters",{count:u.filters.length})}`:""}
                    </p>
                  </li>`)}
              </ul>`:i`<${R}>${t("settings.funnels.empty")} <a href=${C("funnels")}>${t("settings.funnels.empty_link")}</a></${R}>`:i`<${I} />`}
    </${p}>

    ${n?i`<${O} title=${t("settings.funnels.delete_title",{name:n.name})} confirmLabel=${t("settings.funnels.delete_confirm")}
          onClose=${()=>a(null)}
          onConfirm=${async()=>{await h.funnels.remove(e,n.name),s.reload(),await K(e),o(t("settings.funnels.deleted",{name:n.name}))}}>
          <p>${t("settings.funnels.delete_body")}</p>
        </${O}>`:null}
  </div>`}var Nt=["sensitive_paths","partner_domains","query_allow"],Et=["min_group_size","retention_months"],It=["respect_dnt","city_enabled"];function St(e){let s={};for(let n of Nt)s[n]=(e[n]||[]).join(`
`);for(let n of Et)s[n]=e[n]===void 0||e[n]===null?"":String(e[n]);for(let n of It)s[n]=!!e[n];return s}function ee(e,s){let n={};for(let a of Nt){let l=dt(s[a],{commas:a!=="sensitive_paths"});JSON.stringify(l)!==JSON.stringify(e[a]||[])&&(n[a]=l)}for(let a of Et){let l=s[a].trim()===""?null:Number(s[a]);l!==null&&l!==e[a]&&(n[a]=l)}for(let a of It)s[a]!==!!e[a]&&(n[a]=s[a]);return n}function X({id:e}){return i`<p class="hint field-help" id=${"help-"+e}>${t(`settings.privacy.${e}.help`)}</p>`}function et({id:e,f:s,set:n,placeholder:a,rows:l=3}){return i`<div class="field">
    <label for=${"f-"+e}>${t(`settings.privacy.${e}.label`)}</label>
    <${X} id=${e} />
    <textarea id=${"f-"+e} rows=${l} value=${s[e]} onInput=${o=>n(e,o.target.value)} placeholder=${a}
      aria-describedby=${"help-"+e} spellcheck="false" autocapitalize="off" data-testid=${"f-"+e}></textarea>
    <small class="hint">${t("settings.privacy.one_per_line")}</small>
  </div>`}function xt({id:e,f:s,set:n,min:a,max:l,unit:o,warn:r}){return i`<div class="field">
    <label for=${"f-"+e}>${t(`settings.privacy.${e}.label`)}</label>
    <${X} id=${e} />
    <span class="with-unit">
      <input id=${"f-"+e} type="number" min=${a} max=${l} step="1" value=${s[e]} onInput=${u=>n(e,u.target.value)}
        aria-describedby=${"help-"+e+(r?" warn-"+e:"")} data-testid=${"f-"+e} />
      <span aria-hidden="true">${o}</span>
    </span>
    ${r?i`<p class="warn hint" id=${"warn-"+e}>${r}</p>`:null}
  </div>`}function Ct({id:e,f:s,set:n}){return i`<div class="field flag">
    <label class="check">
      <input type="checkbox" checked=${s[e]} onChange=${a=>n(e,a.target.checked)} aria-describedby=${"help-"+e} data-testid=${"f-"+e} />
      <span>${t(`settings.privacy.${e}.label`)}</span>
    </label>
    <${X} id=${e} />
  </div>`}function se({site:e,on:s}){return i`<div class="field" data-testid="f-consented_journeys">
    <span class="field-label">${t("settings.privacy.consented_journeys.label")}</span>
    <p class="consent-state"><strong>${t(s?"settings.privacy.consented_journeys.on":"settings.privacy.consented_journeys.off")}</strong></p>
    <${X} id="consented_journeys" />
    <p class="hint">${t("settings.privacy.consented_journeys.admin")} <code>${`parcours sites set ${e} --consent-journeys ${s?"false":"true"}`}</code></p>
  </div>`}function ne({site:e,info:s,onSaved:n}){let[a,l]=d(()=>St(s)),[o,r]=d(!1),[u,m]=d(null),g=(S,N)=>l(B=>({...B,[S]:N})),f=ee(s,a),v=Object.keys(f).length,$=async S=>{if(S.preventDefault(),!!v){r(!0),m(null);try{await h.sites.update({site_id:e,...f}),await n(Object.keys(f))}catch(N){m(N)}r(!1)}},w=Number(a.retention_months),P=Number(a.min_group_size);return i`<form class="settings-form privacy-form" onSubmit=${$} data-testid="privacy-form" aria-label=${t("settings.privacy.form")}>
    <${p} id="privacy-protect" title=${t("settings.privacy.protect")}>
      <${et} id="sensitive_paths" f=${a} set=${g} placeholder=${`/pathologies/**
/traitements/**`} />
      <${xt} id="min_group_size" f=${a} set=${g} min="2" max="1000" unit=${t("settings.privacy.visitors_unit")}
        warn=${a.min_group_size!==""&&P>=2&&P<5?t("settings.privacy.min_group_size.low"):null} />
      <${Ct} id="city_enabled" f=${a} set=${g} />
      <${Ct} id="respect_dnt" f=${a} set=${g} />
    </${p}>
    <${p} id="privacy-sources" title=${t("settings.privacy.sources")}>
      <${et} id="partner_domains" f=${a} set=${g} placeholder=${`cabinet-dupont.fr
maison-sante-exemple.fr`} />
      <${et} id="query_allow" f=${a} set=${g} placeholder="lang" rows="2" />
    </${p}>
    <${p} id="privacy-time" title=${t("settings.privacy.time")}>
      <${xt} id="retention_months" f=${a} set=${g} min="1" max="120" unit=${t("settings.privacy.months_unit")}
        warn=${a.retention_months!==""&&w>=1&&w<(s.retention_months||0)?t("settings.privacy.retention_months.lower",{months:w}):null} />
      ${s.consented_journeys!==void 0?i`<${se} site=${e} on=${!!s.consented_journeys} />`:null}
    </${p}>
    <div class=${v?"save-bar dirty":"save-bar"} data-testid="privacy-save-bar">
      <${T} error=${u} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${!v||o} data-testid="privacy-save">${o?t("settings.working"):t("settings.privacy.save",{count:v})}</button>
        <button type="button" class="ghost" disabled=${!v||o} onClick=${()=>{l(St(s)),m(null)}}>${t("settings.privacy.undo")}</button>
        <span class="hint" aria-live="polite">${v?t("settings.privacy.unsaved",{count:v}):t("settings.privacy.no_changes")}</span>
      </div>
    </div>
  </form>`}function Dt({site:e}){let[s,n]=z(),a=V(e),l;return Y.value===null?l=i`<${I} />`:a?l=i`<${ne} key=${JSON.stringify(a)} site=${e} info=${a}
      onSaved=${async o=>{await U(),n(t("settings.privacy.saved",{count:o.length}))}} />`:l=i`<${D} error=${ot.value} onRetry=${U} />`,i`<div class="settings-section">
    <${_} title=${t("settings.privacy.title")}>${t("settings.privacy.intro")}</${_}>
    <${A} msg=${s} />
    ${l}
  </div>`}function Pt({site:e}){let[s,n]=d(""),[a,l]=d(!1),[o,r]=d(null),u=q();F(()=>{s&&u.current?.focus()},[s]);let m=async()=>{l(!0),r(null);try{let g=await h.keys.create(e);n(g.key)}catch(g){r(g)}l(!1)};return i`<div class="settings-section">
    <${_} title=${t("settings.keys.title")}>${t("settings.keys.intro",{site:e})}</${_}>

    <${p} id="keys-what" title=${t("settings.keys.what")}>
      <ul class="bullets">
        <li>${t("settings.keys.opens",{site:e})}</li>
        <li>${t("settings.keys.not_opens")}</li>
        <li>${t("settings.keys.uses")}</li>
        <li>${t("settings.keys.secret")}</li>
      </ul>
    </${p}>

    <${p} id="keys-create" title=${t("settings.keys.create_title")}>
          ${s?i`<div class="new-key" data-testid="new-key">
                <p class="new-key-warn" role="alert"><strong>${t("settings.keys.once_title")}</strong> ${t("settings.keys.once")}</p>
                <label for="new-key-value">${t("settings.keys.new_key")}</label>
                <div class="key-row">
                  <input id="new-key-value" ref=${u} class="key-value" readonly value=${s} onFocus=${g=>g.target.select()} spellcheck="false" data-testid="new-key-value" />
                  <${lt} text=${s} what=${t("settings.keys.copy_what")} primary />
                </div>
                <p class="hint">${t("settings.keys.store")}</p>
                <button type="button" class="ghost small" onClick=${()=>n("")}>${t("settings.keys.done")}</button>
              </div>`:i`<p>${t("settings.keys.create_intro")}</p>
                <${T} error=${o} onRetry=${m} />
                <button type="button" class="primary" onClick=${m} disabled=${a} data-testid="key-create">${a?t("settings.working"):t("settings.keys.create")}</button>`}
        </${p}>

    <${p} id="keys-revoke" title=${t("settings.keys.revoke_title")}>
      <p>${t("settings.keys.revoke")}</p>
    </${p}>
  </div>`}var st={site:mt,install:vt,goals:yt,groups:kt,funnels:wt,privacy:Dt,keys:Pt},Tt=e=>at("section",e==="site"?null:e);function js(){let e=it.value,s=e.site,n=st[e.extra.section]?e.extra.section:"site",a=st[n],l=Object.keys(st);return i`<div class="view settings" data-testid="settings">
    <div class="settings-layout">
      <nav class="settings-nav" aria-label=${t("settings.nav.label")}>
        <ul>
          ${l.map(o=>i`<li><a href=${C("settings",o==="site"?{}:{section:o})}
              class=${o===n?"on":""} aria-current=${o===n?"page":void 0} data-testid=${"settings-nav-"+o}
              onClick=${r=>{r.metaKey||r.ctrlKey||r.shiftKey||r.button||(r.preventDefault(),Tt(o))}}>${t(`settings.nav.${o}`)}</a></li>`)}
        </ul>
      </nav>
      <label class="settings-picker">${t("settings.nav.pick")}
        <select value=${n} onChange=${o=>Tt(o.target.value)} data-testid="settings-picker">
          ${l.map(o=>i`<option value=${o}>${t(`settings.nav.${o}`)}</option>`)}
        </select>
      </label>
      <div class="settings-body" data-testid=${"settings-"+n}>
        <${a} key=${n+s} site=${s} />
      </div>
    </div>
  </div>`}export{js as Settings};
