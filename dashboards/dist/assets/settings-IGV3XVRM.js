import{a as y,b as X,c as P,d as L,e as A,f as D,g as nt,h as tt,i as ht,k as vt}from"./chunk-E7BCCBNB.js";import{a as ut,b as ot,c as gt,d as st,e as ft}from"./chunk-XNTZW5U2.js";import"./chunk-Q7JTJ7B4.js";import{c as at}from"./chunk-XNSMM3WE.js";import{a as O,b as Q}from"./chunk-UQBYH6KZ.js";import"./chunk-5LA5JELA.js";import{b as d}from"./chunk-F7MP2QNA.js";import{a as J,b as mt,c as et,d as M,e as Z,f as Y,r as j,u as $t}from"./chunk-E4ANYN7J.js";import{A as q,B as pt,F as h,G as S,H as R,I as E,b as i,c as p,d as V,e as K,l as U,m as t,o as H,x as lt,y as ct,z as dt}from"./chunk-IA5JBKF2.js";function Gt(e){let s=[];try{s=Intl.supportedValuesOf("timeZone")}catch{}return s.includes(e)?s:[e,...s]}function Kt({site:e}){let s=Y(e),[n,a]=p(s?.timezone||""),[r,o]=p(!1),[c,l]=p(null),[g,v]=L(),u=O(m=>s?Promise.resolve(null):h.query({site_id:e,metrics:["visitors"],date_range:"day"},{signal:m}),[e,!!s]);if(s&&!j(e,"owner"))return i`<p class="settings-value"><strong data-testid="tz-value">${s.timezone}</strong></p>
      <p class="hint">${t("settings.site.tz_owner")}</p>`;if(!s){if(J.value===null||u.loading)return i`<${S} lines=${1} />`;let m=u.data?.meta?.time_zone;return i`<p class="settings-value">${m?i`<strong>${m}</strong>`:"\u2013"}</p>
      <p class="hint">${t("settings.site.tz_readonly")}</p>`}return i`<form class="inline-form" onSubmit=${async m=>{m.preventDefault(),o(!0),l(null);try{await h.sites.update({site_id:e,timezone:n}),await M(),v(t("settings.site.tz_saved",{tz:n}))}catch(f){l(f)}o(!1)}}>
    <label><span class="sr-only">${t("settings.site.tz")}</span>
      <select value=${n} onChange=${m=>a(m.target.value)} data-testid="tz">
        ${Gt(n).map(m=>i`<option value=${m}>${m}</option>`)}
      </select>
    </label>
    <button type="submit" class="primary" disabled=${r||n===s.timezone}>${r?t("settings.working"):t("settings.site.tz_save")}</button>
    <${A} error=${c} />
    <${P} msg=${g} />
  </form>`}function Wt({id:e,checked:s,onChange:n}){return i`<li class="option">
    <label class="check option-label">
      <input type="checkbox" checked=${s} onChange=${a=>n(a.target.checked)} aria-describedby=${"opt-"+e} data-testid=${"opt-"+e} />
      <span><strong>${t(`settings.site.opt.${e}.title`)}</strong> <code>data-${e}</code></span>
    </label>
    <p class="hint" id=${"opt-"+e}>${t(`settings.site.opt.${e}.body`)}</p>
  </li>`}var Vt="parcours('Booking Confirmed', {props: {specialty: 'cardiologie'}})",Ut="<script>window.parcours = window.parcours || function() { (window.parcours.q = window.parcours.q || []).push(arguments) }<\/script>";function bt({site:e}){let[s,n]=p({}),a=(o,c)=>n(l=>({...l,[o]:c})),r=ot.filter(o=>s[o]).length+((s.exclude||"").trim()?1:0);return i`<div class="settings-section">
    <${y} title=${t("settings.site.title")}>${t("settings.site.intro")}</${y}>

    <${d} id="site-details" title=${t("settings.site.details")}>
      <dl class="facts">
        <div><dt>${t("settings.site.domain")}</dt>
          <dd><code class="big" data-testid="site-domain">${e}</code>
            <p class="hint">${t("settings.site.domain_hint")}</p></dd></div>
        <div><dt>${t("settings.site.tz")}</dt>
          <dd><${Kt} site=${e} />
            <p class="hint">${t("settings.site.tz_hint")}</p></dd></div>
      </dl>
    </${d}>

    <${d} id="site-snippet" title=${t("settings.site.install")}
      footer=${i`<a href=${q("settings",{section:"install"})}>${t("settings.site.then_check")}</a>`}>
      <ol class="steps">
        <li>${t("settings.site.step_paste")}</li>
        <li>${r?t("settings.site.step_options_some",{count:r}):t("settings.site.step_options")}</li>
        <li>${t("settings.site.step_check")}</li>
      </ol>
      <${ft} domain=${e} opts=${s} />
      <details class="more">
        <summary>${t("settings.site.noscript_title")}</summary>
        <p>${t("settings.site.noscript_body")}</p>
        <${st} text=${gt(e)} label=${t("settings.site.noscript_label")} testid="noscript" />
      </details>
    </${d}>

    <${d} id="site-options" title=${t("settings.site.options")}>
      <p>${t("settings.site.options_intro")}</p>
      <ul class="options">
        ${ot.map(o=>i`<${Wt} id=${o} checked=${!!s[o]} onChange=${c=>a(o,c)} />`)}
        <li class="option exclude">
          <label class="option-label" for="opt-exclude-input"><span><strong>${t("settings.site.opt.exclude.title")}</strong> <code>data-exclude</code></span></label>
          <p class="hint" id="opt-exclude">${t("settings.site.opt.exclude.body")}</p>
          <input id="opt-exclude-input" class="wide" value=${s.exclude||""} placeholder="/admin/*, /espace-patient/**"
            aria-describedby="opt-exclude" onInput=${o=>a("exclude",o.target.value)} data-testid="opt-exclude" />
        </li>
      </ul>
      <p class="hint">${t("settings.site.options_more")}</p>
    </${d}>

    <${d} id="site-events" title=${t("settings.site.events")}
      footer=${i`<a href=${q("settings",{section:"goals"})}>${t("settings.site.events_goal")}</a>`}>
      <p>${t("settings.site.events_intro")}</p>
      <${st} text=${Vt} label=${t("settings.site.events_label")} testid="event-code" />
      <p>${t("settings.site.events_props")}</p>
      <p class="callout-warn"><strong>${t("settings.site.events_warn_title")}</strong> ${t("settings.site.events_warn")}</p>
      <details class="more">
        <summary>${t("settings.site.stub_title")}</summary>
        <p>${t("settings.site.stub_body")}</p>
        <${st} text=${Ut} label=${t("settings.site.stub_label")} testid="stub-code" />
      </details>
    </${d}>
  </div>`}var _t=4e3;function Jt(e){let[s,n]=p({data:null,error:null,at:null,fresh:!1}),[a,r]=p(0);return V(()=>{let o=!0,c,l,g=async()=>{if(clearTimeout(c),document.visibilityState!=="hidden"){l?.abort(),l=new AbortController;try{let u=await h.installCheck(e,{signal:l.signal});if(!o)return;n(b=>({data:u,error:null,at:new Date().toISOString(),fresh:!!b.data&&u.last_event_at!==b.data.last_event_at}))}catch(u){if(!o||u?.name==="AbortError")return;n(b=>({...b,error:u,at:new Date().toISOString()}))}}o&&(c=setTimeout(g,_t))};g();let v=()=>document.visibilityState==="visible"&&g();return document.addEventListener("visibilitychange",v),r(()=>g),()=>{o=!1,clearTimeout(c),l?.abort(),document.removeEventListener("visibilitychange",v)}},[e]),{...s,checkNow:a}}function Zt({a:e,fresh:s}){let n=e.events_last_5_minutes??0,a=e.events_last_30_minutes??0,r=e.last_event_at,o=n>0?"ok":a>0||r?"quiet":"none",c=n>0?t("settings.install.arriving",{count:n,time:tt(r)}):a>0?t("settings.install.quiet_30",{count:a,time:tt(r)}):r?t("settings.install.quiet_old",{time:tt(r)}):t("settings.install.never",{days:e.meta?.last_event_window_days??30});return i`<div class=${`install-status lvl-${o}${s?" fresh":""}`} data-testid="install-status" data-level=${o}>
    <span class="install-dot" aria-hidden="true"></span>
    <div>
      <p class="install-head" role="status" aria-live="polite">${c}</p>
      ${n>0||a>0?i`<p class="install-sub">${t("settings.install.detail",{pageviews:e.pageviews_last_5_minutes??0,events30:a})}${r?" "+t("settings.install.ago",{ago:ht(r)}):""}</p>`:i`<p class="install-sub">${t("settings.install.none_sub")}</p>`}
    </div>
  </div>`}var Yt=["domain","real_visit","registered","proxy","blocker","dnt","csp","ignore"];function Qt({id:e,site:s}){let n=Y(s),a=null;return e==="domain"&&(a=i` <span class="cause-compare">${t("settings.install.registered_domain")} <code class="big">${s}</code></span>`),e==="dnt"&&n&&(a=i` <strong>${t(n.respect_dnt?"settings.install.dnt_on":"settings.install.dnt_off")}</strong>`),e==="csp"&&(a=i` <code>${location.origin}</code>`),i`<li class="cause" data-testid=${"cause-"+e}>
    <input type="checkbox" id=${"cause-"+e} aria-describedby=${"cause-"+e+"-d"} />
    <div>
      <label for=${"cause-"+e} class="cause-title">${t(`settings.install.cause.${e}.title`)}</label>
      <p id=${"cause-"+e+"-d"}>${t(`settings.install.cause.${e}.body`)}${a}</p>
    </div>
  </li>`}var Xt={spool_full:"storage",log_refused:"storage",storage_failing:"storage",shutting_down:"buffer_full"};function yt(e,s){let n=`settings.install.reason.${Xt[e]??e}.${s}`;return U(n)?t(n):null}function te({drops:e,site:s}){return e.length?i`<ul class="drops" data-testid="drops">
    ${e.map(n=>{let a=yt(n.reason,"title"),r=n.domain&&n.domain!==s;return i`<li class="drop">
        <div class="drop-head">
          <strong>${a||n.reason}</strong>
          <span class="drop-count">${t("settings.install.drop_count",{count:n.count??0})}</span>
        </div>
        <p>${yt(n.reason,"body")||t("settings.install.reason_unknown")}</p>
        <p class="hint">
          ${t("settings.install.drop_domain")} <code>${n.domain||"\u2013"}</code>${r?i` <span class="warn">${t("settings.install.drop_other_domain",{site:s})}</span>`:null}${" \xB7 "}${t("settings.install.drop_last",{time:tt(n.last_at)})}
        </p>
      </li>`})}
  </ul>`:i`<p class="empty" data-testid="drops-none">${t("settings.install.drops_none")}</p>`}function kt({site:e}){let s=Jt(e),n=s.data,a=n&&(n.events_last_5_minutes??0)>0,r=`https://${e}/`;return i`<div class="settings-section">
    <${y} title=${t("settings.install.title")}>${t("settings.install.intro")}</${y}>

    <${d} id="install-live" title=${t("settings.install.live")}
      actions=${i`<button type="button" class="small" onClick=${()=>s.checkNow&&s.checkNow()} data-testid="check-now">${t("settings.install.check_now")}</button>`}
      footer=${s.at?t("settings.install.checked",{time:H.time(s.at),every:_t/1e3}):null}>
      ${n?i`<${Zt} a=${n} fresh=${s.fresh} />
            ${s.error?i`<${R} error=${s.error} />`:null}`:s.error?i`<${R} error=${s.error} onRetry=${s.checkNow} />`:i`<${S} lines=${2} />`}
      <div class="test-visit">
        <h3>${t("settings.install.test_title")}</h3>
        <ol class="steps">
          <li>${t("settings.install.test_1")} <a href=${r} target="_blank" rel="noopener noreferrer">${r}<span class="sr-only"> ${t("settings.install.new_tab")}</span></a></li>
          <li>${t("settings.install.test_2")}</li>
        </ol>
      </div>
    </${d}>

    <${d} id="install-causes" title=${a?t("settings.install.causes_title_ok"):t("settings.install.causes_title")}>
      <p>${a?t("settings.install.causes_intro_ok"):t("settings.install.causes_intro")}</p>
      <ul class="causes">${Yt.map(o=>i`<${Qt} id=${o} site=${e} />`)}</ul>
      <p class="hint"><a href=${q("settings",{})}>${t("settings.install.back_to_snippet")}</a></p>
    </${d}>

    <${d} id="install-drops" title=${t("settings.install.drops_title")}>
      <p class="hint">${t("settings.install.drops_intro",{minutes:Math.round((n?.meta?.drops_window_seconds??600)/60)})}${n?.meta?.drops_scope?" "+t("settings.install.drops_scope"):""}</p>
      ${n?i`<${te} drops=${n.recent_drops||[]} site=${e} />`:s.error?null:i`<${S} lines=${2} />`}
    </${d}>
  </div>`}var wt={name:"",kind:"event",event_name:"",page:""};function St(e){return(et.value.funnels||[]).filter(s=>(s.steps||[]).some(n=>n.goal===e)).map(s=>s.name)}function ee({site:e,goals:s,editing:n,onSaved:a,onCancel:r}){let[o,c]=p(n?{name:n.name,kind:n.event_name?"event":"page",event_name:n.event_name||"",page:n.page||""}:wt),[l,g]=p(!1),[v,u]=p(null),[b,m]=p(""),f=K(),$=k=>_=>c({...o,[k]:_.target.value}),w=(O(k=>h.query({site_id:e,metrics:["visitors"],date_range:"30d",dimensions:["event:name"],pagination:{limit:30}},{signal:k}),[e]).data?.results||[]).map(k=>k.dimensions[0]).filter(k=>k&&k!=="(other)"&&k!=="pageview"),F=!n&&s.some(k=>k.name===o.name.trim());return i`<form class="settings-form" onSubmit=${async k=>{k.preventDefault();let _=o.name.trim(),x=o.kind==="event"?o.event_name.trim():o.page.trim();if(o.kind==="page"&&!x.startsWith("/"))return m(t("settings.goals.page_slash"));m(""),g(!0),u(null);try{await h.goals.save({site_id:e,name:_,...o.kind==="event"?{event_name:x}:{page:x}}),n&&n.name!==_&&await h.goals.remove(e,n.name),c(wt),await a(_,!!n),f.current?.focus()}catch(T){u(T)}g(!1)}} data-testid="goal-form" aria-labelledby="panel-goal-form">
    <label>${t("settings.goals.name")}
      <input ref=${f} value=${o.name} onInput=${$("name")} required maxlength="120" placeholder=${t("settings.goals.name_ph")} aria-describedby="goal-name-hint" data-testid="goal-name" />
      <small class="hint" id="goal-name-hint">${F?i`<span class="warn">${t("settings.goals.clash")}</span>`:t("settings.goals.name_hint")}</small>
    </label>
    <fieldset class="choice">
      <legend>${t("settings.goals.kind")}</legend>
      <label class="check"><input type="radio" name="goal-kind" value="event" checked=${o.kind==="event"} onChange=${()=>c({...o,kind:"event"})} data-testid="goal-kind-event" /> ${t("settings.goals.kind_event")}</label>
      <label class="check"><input type="radio" name="goal-kind" value="page" checked=${o.kind==="page"} onChange=${()=>c({...o,kind:"page"})} data-testid="goal-kind-page" /> ${t("settings.goals.kind_page")}</label>
    </fieldset>
    ${o.kind==="event"?i`<label>${t("settings.goals.event_name")}
            <input value=${o.event_name} onInput=${$("event_name")} required maxlength="200" list="goal-events" placeholder="Booking Confirmed" aria-describedby="goal-event-hint" data-testid="goal-event" />
            <small class="hint" id="goal-event-hint">${t("settings.goals.event_hint")}</small>
          </label>
          <datalist id="goal-events">${w.map(k=>i`<option value=${k}></option>`)}</datalist>
          ${w.length?i`<div class="suggestions" role="group" aria-label=${t("settings.goals.seen")}>
                <span class="hint">${t("settings.goals.seen")}</span>
                ${w.slice(0,12).map(k=>i`<button type="button" class="suggestion" aria-pressed=${o.event_name===k?"true":"false"} onClick=${()=>c({...o,event_name:k})}>${k}</button>`)}
              </div>`:null}`:i`<label>${t("settings.goals.page")}
          <input value=${o.page} onInput=${$("page")} required maxlength="500" placeholder="/prendre-rendez-vous/confirmation" aria-describedby="goal-page-hint" aria-invalid=${b?"true":void 0} data-testid="goal-page" />
          <small class="hint" id="goal-page-hint">${b?i`<span class="warn">${b}</span> `:null}${t("settings.goals.page_hint")}</small>
        </label>`}
    <${A} error=${v} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${l} data-testid="goal-save">${l?t("settings.working"):n?t("settings.save_changes"):t("settings.goals.add")}</button>
      ${n?i`<button type="button" class="ghost" onClick=${r}>${t("action.cancel")}</button>`:null}
    </div>
  </form>`}function se(e){return e.event_name?t("settings.goals.when_event"):t("settings.goals.when_page")}function xt({site:e}){let s=O(()=>h.goals.list(e),[e]),n=j(e,"editor"),[a,r]=p(null),[o,c]=p(null),[l,g]=L(),v=K(),u=s.data?.goals||[],b=async()=>{s.reload(),await Z(e)},m=f=>{r(f),requestAnimationFrame(()=>{v.current?.scrollIntoView({block:"start",behavior:"smooth"}),v.current?.querySelector("input")?.focus({preventScroll:!0})})};return i`<div class="settings-section">
    <${y} title=${t("settings.goals.title")}>${t("settings.goals.intro")}</${y}>
    ${n?null:i`<${X} need="editor" />`}
    <${P} msg=${l} />

    <${d} id="goals-list" title=${t("settings.goals.list")}>
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?u.length?i`<ul class=${s.loading?"defs stale":"defs"} data-testid="goals">
                ${u.map(f=>i`<li class="def">
                    <div class="def-main">
                      <strong class="def-name">${f.name}</strong>
                      <span class="def-what">${se(f)} <code>${f.event_name||f.page}</code></span>
                    </div>
                    ${n?i`<div class="def-actions">
                          <button type="button" class="small" onClick=${()=>m(f)}>${t("action.edit")}<span class="sr-only"> ${f.name}</span></button>
                          <button type="button" class="small danger" onClick=${()=>c(f)} data-testid="goal-delete">${t("action.delete")}<span class="sr-only"> ${f.name}</span></button>
                        </div>`:null}
                  </li>`)}
              </ul>`:i`<${E}>${t("settings.goals.empty")}</${E}>`:i`<${S} />`}
    </${d}>

    ${n?i`<div ref=${v}>
      <${d} id="goal-form" title=${a?t("settings.goals.edit_title",{name:a.name}):t("settings.goals.add_title")}
        footer=${i`${t("settings.goals.where")} <a href=${q("overview")}>${t("nav.overview")}</a>, <a href=${q("funnels")}>${t("nav.funnels")}</a>, <a href=${q("attribution")}>${t("nav.attribution")}</a>`}>
        <${ee} key=${a?a.name:"new"} site=${e} goals=${u} editing=${a}
          onCancel=${()=>r(null)}
          onSaved=${async(f,$)=>{r(null),await b(),g(t($?"settings.goals.saved":"settings.goals.added",{name:f}))}} />
      </${d}>
    </div>`:null}

    ${o?i`<${D} title=${t("settings.goals.delete_title",{name:o.name})} confirmLabel=${t("settings.goals.delete_confirm")}
          onClose=${()=>c(null)}
          onConfirm=${async()=>{await h.goals.remove(e,o.name),a?.name===o.name&&r(null),await b(),g(t("settings.goals.deleted",{name:o.name}))}}>
          <p>${t("settings.goals.delete_body")}</p>
          ${St(o.name).length?i`<p class="warn">${t("settings.goals.delete_used",{funnels:St(o.name).join(", ")})}</p>`:null}
        </${D}>`:null}
  </div>`}function ne(e){if(!e.startsWith("/"))return null;let s="^";for(let n=0;n<e.length;n++){let a=e[n];a==="*"?e[n+1]==="*"?(n++,s.endsWith("/")&&n===e.length-1?s=s.slice(0,-1)+"(/.*)?":s+=".*"):s+="[^/]*":s+=a.replace(/[.*+?^${}()|[\]\\]/g,"\\$&")}return new RegExp(s+"$")}function ie(e){let s=e.trim();if(!s)return"";try{return new URL(s,"https://example.org").pathname}catch{return s}}function Ct(e){return(et.value.funnels||[]).filter(s=>(s.steps||[]).some(n=>n.content_group===e)).map(s=>s.name)}var ae=(e,s)=>e.position-s.position||e.name.localeCompare(s.name);function oe({groups:e}){let[s,n]=p(""),a=ie(s),r=a?e.filter(o=>(o.patterns||[]).some(c=>ne(c)?.test(a))):[];return i`<div class="tester" data-testid="group-tester">
    <label>${t("settings.groups.test_label")}
      <input value=${s} onInput=${o=>n(o.target.value)} placeholder="/symptomes/migraine" aria-describedby="group-test-result" data-testid="group-test" />
    </label>
    <p id="group-test-result" class="tester-result" aria-live="polite">
      ${a?r.length?i`${t("settings.groups.test_in")} <strong>${r[0].name}</strong>${r.length>1?i` <span class="hint">${t("settings.groups.test_also",{names:r.slice(1).map(o=>o.name).join(", ")})}</span>`:null}`:t("settings.groups.test_none"):i`<span class="hint">${t("settings.groups.test_hint")}</span>`}
    </p>
  </div>`}function re({site:e,groups:s,editing:n,onSaved:a,onCancel:r}){let o=s.reduce((C,N)=>Math.max(C,N.position||0),0)+1,[c,l]=p(n?.name||""),[g,v]=p(n?.patterns?.length?n.patterns:[""]),[u,b]=p(String(n?n.position:o)),[m,f]=p(!1),[$,I]=p(null),[w,F]=p(-1),W=K(),k=(C,N)=>v(g.map((B,z)=>z===C?N:B)),_=()=>{v([...g,""]),requestAnimationFrame(()=>{let C=W.current?.querySelectorAll("input");C?.[C.length-1]?.focus()})},x=!n&&s.some(C=>C.name===c.trim());return i`<form class="settings-form" onSubmit=${async C=>{C.preventDefault();let N=g.map(z=>z.trim()).filter(Boolean),B=g.findIndex(z=>z.trim()&&!z.trim().startsWith("/"));if(F(B),!(B>=0||!N.length)){f(!0),I(null);try{let z=c.trim();await h.groups.save({site_id:e,name:z,patterns:N,position:Math.max(0,parseInt(u,10)||0)}),n&&n.name!==z&&await h.groups.remove(e,n.name),await a(z,!!n)}catch(z){I(z)}f(!1)}}} data-testid="group-form" aria-labelledby="panel-group-form">
    <label>${t("settings.groups.name")}
      <input value=${c} onInput=${C=>l(C.target.value)} required maxlength="120" placeholder=${t("settings.groups.name_ph")} aria-describedby="group-name-hint" data-testid="group-name" />
      <small class="hint" id="group-name-hint">${x?i`<span class="warn">${t("settings.groups.clash")}</span>`:t("settings.groups.name_hint")}</small>
    </label>
    <fieldset class="patterns">
      <legend>${t("settings.groups.patterns")}</legend>
      <p class="hint" id="group-patterns-hint">${t("settings.groups.patterns_hint")}</p>
      <ul ref=${W}>
        ${g.map((C,N)=>i`<li>
            <input value=${C} onInput=${B=>k(N,B.target.value)} placeholder="/symptomes/**" required=${N===0}
              aria-label=${t("settings.groups.pattern_n",{n:N+1})} aria-describedby="group-patterns-hint" aria-invalid=${w===N?"true":void 0} data-testid="group-pattern" />
            ${g.length>1?i`<button type="button" class="small ghost" onClick=${()=>v(g.filter((B,z)=>z!==N))}>${t("settings.groups.pattern_remove")}<span class="sr-only"> ${t("settings.groups.pattern_n",{n:N+1})}</span></button>`:null}
            ${w===N?i`<span class="warn hint" role="alert">${t("settings.groups.pattern_slash")}</span>`:null}
          </li>`)}
      </ul>
      <button type="button" class="small" onClick=${_} data-testid="group-add-pattern">${t("settings.groups.pattern_add")}</button>
    </fieldset>
    <label class="narrow">${t("settings.groups.position")}
      <input type="number" min="0" step="1" value=${u} onInput=${C=>b(C.target.value)} aria-describedby="group-pos-hint" data-testid="group-position" />
      <small class="hint" id="group-pos-hint">${t("settings.groups.position_hint")}</small>
    </label>
    <${A} error=${$} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${m} data-testid="group-save">${m?t("settings.working"):n?t("settings.save_changes"):t("settings.groups.add")}</button>
      ${n?i`<button type="button" class="ghost" onClick=${r}>${t("action.cancel")}</button>`:null}
    </div>
  </form>`}function Nt({site:e}){let s=O(()=>h.groups.list(e),[e]),n=j(e,"editor"),[a,r]=p(null),[o,c]=p(null),[l,g]=p(!1),[v,u]=p(null),[b,m]=p(null),[f,$]=L(),I=K(),w=[...s.data?.content_groups||[]].sort(ae);V(()=>{if(!b||s.loading)return;let _=[...document.querySelectorAll("[data-testid=groups] > li")].find(N=>N.dataset.group===b.name),[x,T]=_?_.querySelectorAll("button.move"):[];(b.by<0?x?.disabled?T:x:T?.disabled?x:T)?.focus(),m(null)},[s.data,s.loading,b]);let F=async()=>{s.reload(),await Z(e)},W=_=>{r(_),requestAnimationFrame(()=>{I.current?.scrollIntoView({block:"start",behavior:"smooth"}),I.current?.querySelector("input")?.focus({preventScroll:!0})})},k=async(_,x)=>{if(l)return;let T=[...w],[C]=T.splice(_,1);T.splice(_+x,0,C),g(!0),u(null);try{for(let[N,B]of T.entries())B.position!==N+1&&await h.groups.save({site_id:e,name:B.name,patterns:B.patterns,position:N+1});await F(),m({name:C.name,by:x}),$(t("settings.groups.moved",{name:C.name,n:_+x+1}))}catch(N){u(N),s.reload()}g(!1)};return i`<div class="settings-section">
    <${y} title=${t("settings.groups.title")}>${t("settings.groups.intro")}</${y}>
    ${n?null:i`<${X} need="editor" />`}
    <${P} msg=${f} />

    <${d} id="groups-list" title=${t("settings.groups.list")} footer=${t("settings.groups.order_note")}>
      <${A} error=${v} />
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?w.length?i`<ol class=${s.loading||l?"defs stale":"defs"} data-testid="groups">
                ${w.map((_,x)=>i`<li class="def" key=${_.name} data-group=${_.name}>
                    <span class="def-pos" title=${t("settings.groups.position")}>${x+1}</span>
                    <div class="def-main">
                      <strong class="def-name">${_.name}</strong>
                      <span class="def-what">${(_.patterns||[]).map(T=>i`<code>${T}</code> `)}</span>
                    </div>
                    ${n?i`<div class="def-actions">
                      <button type="button" class="small ghost move" disabled=${x===0} aria-disabled=${l?"true":void 0} onClick=${()=>k(x,-1)}
                        aria-label=${t("settings.groups.up",{name:_.name})} title=${t("settings.groups.up",{name:_.name})}>↑</button>
                      <button type="button" class="small ghost move" disabled=${x===w.length-1} aria-disabled=${l?"true":void 0} onClick=${()=>k(x,1)}
                        aria-label=${t("settings.groups.down",{name:_.name})} title=${t("settings.groups.down",{name:_.name})}>↓</button>
                      <button type="button" class="small" onClick=${()=>W(_)}>${t("action.edit")}<span class="sr-only"> ${_.name}</span></button>
                      <button type="button" class="small danger" onClick=${()=>c(_)} data-testid="group-delete">${t("action.delete")}<span class="sr-only"> ${_.name}</span></button>
                    </div>`:null}
                  </li>`)}
              </ol>`:i`<${E}>${t("settings.groups.empty")}</${E}>`:i`<${S} />`}
      ${w.length?i`<${oe} groups=${w} />`:null}
    </${d}>

    ${n?i`<div ref=${I}>
      <${d} id="group-form" title=${a?t("settings.groups.edit_title",{name:a.name}):t("settings.groups.add_title")}>
        <div class="form-with-help">
          <${re} key=${a?a.name:"new"+w.length} site=${e} groups=${w} editing=${a}
            onCancel=${()=>r(null)}
            onSaved=${async(_,x)=>{r(null),await F(),$(t(x?"settings.groups.saved":"settings.groups.added",{name:_}))}} />
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
      </${d}>
    </div>`:null}

    ${o?i`<${D} title=${t("settings.groups.delete_title",{name:o.name})} confirmLabel=${t("settings.groups.delete_confirm")}
          onClose=${()=>c(null)}
          onConfirm=${async()=>{await h.groups.remove(e,o.name),a?.name===o.name&&r(null),await F(),$(t("settings.groups.deleted",{name:o.name}))}}>
          <p>${t("settings.groups.delete_body")}</p>
          ${Ct(o.name).length?i`<p class="warn">${t("settings.groups.delete_used",{funnels:Ct(o.name).join(", ")})}</p>`:null}
        </${D}>`:null}
  </div>`}var le=["content_group","page","goal","event"];function ce({s:e}){let s=le.find(r=>e[r]!==void 0&&e[r]!==null&&e[r]!==""),n=s?e[s]:"",a=e.props&&Object.keys(e.props).length?Object.entries(e.props).map(([r,o])=>`${r} = ${o}`).join(", "):"";return i`<li class="funnel-step">
    <span class="step-name">${e.name||n}</span>
    ${s?i`<span class="step-what">${t(`settings.funnels.kind.${s}`)} ${s==="page"||s==="event"?i`<code>${n}</code>`:n!==e.name?i`<em>${n}</em>`:null}${a?i` <span class="hint">(${a})</span>`:null}</span>`:null}
  </li>`}function de(e){let s=/^(\d+)\s*([smhd])$/.exec(String(e||"1d"));return s?t(`settings.funnels.win_${s[2]}`,{count:+s[1]}):String(e)}function pe(e){let s=String(e).replace(/^(visit|event):/,"");return U(`dim.${s}`)?t(`dim.${s}`):s}function Et({site:e}){let s=O(()=>h.funnels.list(e),[e]),[n,a]=p(null),[r,o]=L(),c=s.data?.funnels||[];return i`<div class="settings-section">
    <${y} title=${t("settings.funnels.title")}>${t("settings.funnels.intro")}</${y}>
    <${P} msg=${r} />
    <${d} id="funnels-list" title=${t("settings.funnels.list")}
      footer=${i`<a href=${q("funnels")}>${t("settings.funnels.build")}</a>`}>
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?c.length?i`<ul class=${s.loading?"funnel-list stale":"funnel-list"} data-testid="funnels">
                ${c.map(l=>i`<li class="funnel-card" key=${l.name}>
                    <div class="funnel-head">
                      <h3 class="funnel-name">${l.name}</h3>
                      <div class="def-actions">
                        <a class="button small" href=${q("funnels",{funnel:l.name})}>${t("settings.funnels.open")}<span class="sr-only"> ${l.name}</span></a>
                        ${j(e,"editor")?i`<button type="button" class="small danger" onClick=${()=>a(l)} data-testid="funnel-delete">${t("action.delete")}<span class="sr-only"> ${l.name}</span></button>`:null}
                      </div>
                    </div>
                    <ol class="funnel-steps" aria-label=${t("settings.funnels.steps",{count:(l.steps||[]).length})}>
                      ${(l.steps||[]).map(g=>i`<${ce} s=${g} />`)}
                    </ol>
                    <p class="hint">
                      ${t("settings.funnels.steps",{count:(l.steps||[]).length})} · ${t("settings.funnels.within",{window:de(l.window)})}${l.breakdown?` \xB7 ${t("settings.funnels.by",{dim:pe(l.breakdown)})}`:""}${l.filters?.length?` \xB7 ${t("settings.funnels.filters",{count:l.filters.length})}`:""}
                    </p>
                  </li>`)}
              </ul>`:i`<${E}>${t("settings.funnels.empty")} <a href=${q("funnels")}>${t("settings.funnels.empty_link")}</a></${E}>`:i`<${S} />`}
    </${d}>

    ${n?i`<${D} title=${t("settings.funnels.delete_title",{name:n.name})} confirmLabel=${t("settings.funnels.delete_confirm")}
          onClose=${()=>a(null)}
          onConfirm=${async()=>{await h.funnels.remove(e,n.name),s.reload(),await Z(e),o(t("settings.funnels.deleted",{name:n.name}))}}>
          <p>${t("settings.funnels.delete_body")}</p>
        </${D}>`:null}
  </div>`}var Dt=["sensitive_paths","partner_domains","query_allow"],Ot=["min_group_size","retention_months"],Pt=["respect_dnt","city_enabled"];function It(e){let s={};for(let n of Dt)s[n]=(e[n]||[]).join(`
`);for(let n of Ot)s[n]=e[n]===void 0||e[n]===null?"":String(e[n]);for(let n of Pt)s[n]=!!e[n];return s}function me(e,s){let n={};for(let a of Dt){let r=nt(s[a],{commas:a!=="sensitive_paths"});JSON.stringify(r)!==JSON.stringify(e[a]||[])&&(n[a]=r)}for(let a of Ot){let r=s[a].trim()===""?null:Number(s[a]);r!==null&&r!==e[a]&&(n[a]=r)}for(let a of Pt)s[a]!==!!e[a]&&(n[a]=s[a]);return n}function it({id:e}){return i`<p class="hint field-help" id=${"help-"+e}>${t(`settings.privacy.${e}.help`)}</p>`}function rt({id:e,f:s,set:n,placeholder:a,rows:r=3}){return i`<div class="field">
    <label for=${"f-"+e}>${t(`settings.privacy.${e}.label`)}</label>
    <${it} id=${e} />
    <textarea id=${"f-"+e} rows=${r} value=${s[e]} onInput=${o=>n(e,o.target.value)} placeholder=${a}
      aria-describedby=${"help-"+e} spellcheck=${!1} autocapitalize="off" data-testid=${"f-"+e}></textarea>
    <small class="hint">${t("settings.privacy.one_per_line")}</small>
  </div>`}function Rt({id:e,f:s,set:n,min:a,max:r,unit:o,warn:c}){return i`<div class="field">
    <label for=${"f-"+e}>${t(`settings.privacy.${e}.label`)}</label>
    <${it} id=${e} />
    <span class="with-unit">
      <input id=${"f-"+e} type="number" min=${a} max=${r} step="1" value=${s[e]} onInput=${l=>n(e,l.target.value)}
        aria-describedby=${"help-"+e+(c?" warn-"+e:"")} data-testid=${"f-"+e} />
      <span aria-hidden="true">${o}</span>
    </span>
    ${c?i`<p class="warn hint" id=${"warn-"+e}>${c}</p>`:null}
  </div>`}function At({id:e,f:s,set:n}){return i`<div class="field flag">
    <label class="check">
      <input type="checkbox" checked=${s[e]} onChange=${a=>n(e,a.target.checked)} aria-describedby=${"help-"+e} data-testid=${"f-"+e} />
      <span>${t(`settings.privacy.${e}.label`)}</span>
    </label>
    <${it} id=${e} />
  </div>`}function $e({site:e,on:s}){return i`<div class="field" data-testid="f-consented_journeys">
    <span class="field-label">${t("settings.privacy.consented_journeys.label")}</span>
    <p class="consent-state"><strong>${t(s?"settings.privacy.consented_journeys.on":"settings.privacy.consented_journeys.off")}</strong></p>
    <${it} id="consented_journeys" />
    <p class="hint">${t("settings.privacy.consented_journeys.admin")} <code>${`parcours sites set ${e} --consent-journeys ${s?"false":"true"}`}</code></p>
  </div>`}function ue({site:e,info:s,onSaved:n,readOnly:a}){let[r,o]=p(()=>It(s)),[c,l]=p(!1),[g,v]=p(null),u=(w,F)=>o(W=>({...W,[w]:F})),b=me(s,r),m=Object.keys(b).length,f=async w=>{if(w.preventDefault(),!!m){l(!0),v(null);try{await h.sites.update({site_id:e,...b}),await n(Object.keys(b))}catch(F){v(F)}l(!1)}},$=Number(r.retention_months),I=Number(r.min_group_size);return i`<form class="settings-form privacy-form" onSubmit=${f} data-testid="privacy-form" aria-label=${t("settings.privacy.form")}>
    <fieldset class="bare" disabled=${a}>
    <${d} id="privacy-protect" title=${t("settings.privacy.protect")}>
      <${rt} id="sensitive_paths" f=${r} set=${u} placeholder=${`/pathologies/**
/traitements/**`} />
      <${Rt} id="min_group_size" f=${r} set=${u} min="2" max="1000" unit=${t("settings.privacy.visitors_unit")}
        warn=${r.min_group_size!==""&&I>=2&&I<5?t("settings.privacy.min_group_size.low"):null} />
      <${At} id="city_enabled" f=${r} set=${u} />
      <${At} id="respect_dnt" f=${r} set=${u} />
    </${d}>
    <${d} id="privacy-sources" title=${t("settings.privacy.sources")}>
      <${rt} id="partner_domains" f=${r} set=${u} placeholder=${`cabinet-dupont.fr
maison-sante-exemple.fr`} />
      <${rt} id="query_allow" f=${r} set=${u} placeholder="lang" rows="2" />
    </${d}>
    <${d} id="privacy-time" title=${t("settings.privacy.time")}>
      <${Rt} id="retention_months" f=${r} set=${u} min="1" max="120" unit=${t("settings.privacy.months_unit")}
        warn=${r.retention_months!==""&&$>=1&&$<(s.retention_months||0)?t("settings.privacy.retention_months.lower",{months:$}):null} />
      ${s.consented_journeys!==void 0?i`<${$e} site=${e} on=${!!s.consented_journeys} />`:null}
    </${d}>
    </fieldset>
    ${a?null:i`<div class=${m?"save-bar dirty":"save-bar"} data-testid="privacy-save-bar">
      <${A} error=${g} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${!m||c} data-testid="privacy-save">${c?t("settings.working"):t("settings.privacy.save",{count:m})}</button>
        <button type="button" class="ghost" disabled=${!m||c} onClick=${()=>{o(It(s)),v(null)}}>${t("settings.privacy.undo")}</button>
        <span class="hint" aria-live="polite">${m?t("settings.privacy.unsaved",{count:m}):t("settings.privacy.no_changes")}</span>
      </div>
    </div>`}
  </form>`}function Lt({site:e}){let s=!j(e,"owner"),[n,a]=L(),r=Y(e),o;return J.value===null?o=i`<${S} />`:r?o=i`${s?i`<${X} />`:null}<${ue} key=${JSON.stringify(r)} site=${e} info=${r} readOnly=${s}
      onSaved=${async c=>{await M(),a(t("settings.privacy.saved",{count:c.length}))}} />`:o=i`<${R} error=${mt.value} onRetry=${M} />`,i`<div class="settings-section">
    <${y} title=${t("settings.privacy.title")}>${t("settings.privacy.intro")}</${y}>
    <${P} msg=${n} />
    ${o}
  </div>`}function G({value:e,label:s,copyWhat:n,warnTitle:a,warn:r,children:o,onDone:c,testid:l}){let g=K();return V(()=>{g.current?.focus()},[e]),i`<div class="new-key" data-testid=${l}>
    <p class="new-key-warn" role="alert"><strong>${a}</strong> ${r}</p>
    <label for=${l+"-value"}>${s}</label>
    <div class="key-row">
      <input id=${l+"-value"} ref=${g} class="key-value" readonly value=${e} onFocus=${v=>v.target.select()} spellcheck=${!1} data-testid=${l+"-value"} />
      <${ut} text=${e} what=${n} primary />
    </div>
    ${o}
    <button type="button" class="ghost small" onClick=${c}>${t("settings.keys.done")}</button>
  </div>`}function ge({site:e,onCreated:s}){let[n,a]=p(""),[r,o]=p(!0),[c,l]=p(""),{busy:g,error:v,run:u}=Q(),b=m=>(m?.preventDefault(),u(async()=>{let f=await h.keys.create(e,n.trim(),r);l(f.key),a(""),s()}));return c?i`<${G} value=${c} label=${t("settings.keys.new_key")} copyWhat=${t("settings.keys.copy_what")}
      warnTitle=${t("settings.keys.once_title")} warn=${t("settings.keys.once")} onDone=${()=>l("")} testid="new-key">
      <p class="hint">${t("settings.keys.store")}</p>
    </${G}>`:i`<form class="settings-form" onSubmit=${b} data-testid="key-form">
    <p>${t("settings.keys.create_intro")}</p>
    <label>${t("settings.keys.name")}
      <input value=${n} onInput=${m=>a(m.target.value)} maxlength="120" placeholder=${t("settings.keys.name_ph")} aria-describedby="key-name-hint" data-testid="key-name" />
      <small class="hint" id="key-name-hint">${t("settings.keys.name_hint")}</small>
    </label>
    <label class="check inline"><input type="checkbox" checked=${r} onChange=${m=>o(m.target.checked)} data-testid="key-read-only" /> ${t("settings.keys.read_only")}</label>
    <p class="hint">${r?t("settings.keys.read_only_hint"):t("settings.keys.full_hint")}</p>
    <${A} error=${v} onRetry=${b} />
    <div class="actions"><button type="submit" class="primary" disabled=${g} data-testid="key-create">${g?t("settings.working"):t("settings.keys.create")}</button></div>
  </form>`}function qt({site:e}){let s=O(()=>h.keys.list(e),[e]),[n,a]=p(null),[r,o]=L(),c=s.data?.keys||[];return i`<div class="settings-section">
    <${y} title=${t("settings.keys.title")}>${t("settings.keys.intro",{site:e})}</${y}>
    <${P} msg=${r} />

    <${d} id="keys-list" title=${t("settings.keys.list")}>
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?c.length?i`<ul class=${s.loading?"defs stale":"defs"} data-testid="keys">
                ${c.map(l=>i`<li class="def" key=${l.id} data-id=${l.id}>
                    <div class="def-main">
                      <strong class="def-name">${l.name||t("settings.keys.unnamed")}</strong>
                      <span class="def-what"><code>${l.prefix}…</code> · ${l.read_only?t("settings.keys.access_read"):t("settings.keys.access_full")} · ${t("settings.keys.created",{when:H.stamp(l.created_at)})}</span>
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small danger" onClick=${()=>a(l)} data-testid="key-revoke">${t("settings.keys.revoke_button")}<span class="sr-only"> ${l.name||l.prefix}</span></button>
                    </div>
                  </li>`)}
              </ul>`:i`<${E}>${t("settings.keys.empty")}</${E}>`:i`<${S} />`}
    </${d}>

    <${d} id="keys-create" title=${t("settings.keys.create_title")}>
      <${ge} site=${e} onCreated=${s.reload} />
    </${d}>

    <${d} id="keys-what" title=${t("settings.keys.what")}>
      <ul class="bullets">
        <li>${t("settings.keys.opens",{site:e})}</li>
        <li>${t("settings.keys.not_opens")}</li>
        <li>${t("settings.keys.uses")}</li>
        <li>${t("settings.keys.secret")}</li>
      </ul>
    </${d}>

    ${n?i`<${D} title=${t("settings.keys.revoke_title",{name:n.name||n.prefix})} confirmLabel=${t("settings.keys.revoke_confirm")}
          onClose=${()=>a(null)}
          onConfirm=${async()=>{await h.keys.revoke(e,n.id),s.reload(),o(t("settings.keys.revoked",{name:n.name||n.prefix}))}}>
          <p>${t("settings.keys.revoke_body")}</p>
        </${D}>`:null}
  </div>`}var zt=["viewer","editor","owner"];function fe({value:e,onChange:s,id:n,label:a,disabled:r,testid:o}){return i`<label class="inline" for=${n}><span class="sr-only">${a}</span>
    <select id=${n} value=${e} onChange=${c=>s(c.target.value)} disabled=${r} data-testid=${o}>
      ${zt.map(c=>i`<option value=${c}>${t(`role.${c}`)}</option>`)}
    </select></label>`}function he({site:e,onInvited:s}){let[n,a]=p(""),[r,o]=p("viewer"),[c,l]=p(null),{busy:g,error:v,run:u}=Q(),b=m=>(m.preventDefault(),u(async()=>{let f=await h.invitations.create(e,n.trim(),r);l({url:location.origin+f.path,email:n.trim(),expires:f.expires_at}),a(""),s()}));return c?i`<${G} value=${c.url} label=${t("settings.members.link_for",{email:c.email})} copyWhat=${t("settings.members.copy_what")}
      warnTitle=${t("settings.members.once_title")} warn=${t("settings.members.once")} onDone=${()=>l(null)} testid="invite-link">
      <p class="hint">${t("settings.members.no_email")}</p>
      <p class="hint">${t("settings.members.expires",{when:H.stamp(c.expires)})}</p>
    </${G}>`:i`<form class="settings-form" onSubmit=${b} data-testid="invite-form">
    <label>${t("settings.members.email")}
      <input type="email" value=${n} onInput=${m=>a(m.target.value)} required autocomplete="off" placeholder=${t("settings.members.email_ph")} data-testid="invite-email" />
    </label>
    <fieldset class="choice">
      <legend>${t("settings.members.role")}</legend>
      ${zt.map(m=>i`<label class="check"><input type="radio" name="invite-role" value=${m} checked=${r===m} onChange=${()=>o(m)} data-testid=${"invite-role-"+m} />
          <span><strong>${t(`role.${m}`)}</strong> <span class="hint">${t(`role_can.${m}`)}</span></span></label>`)}
    </fieldset>
    <${A} error=${v} />
    <div class="actions"><button type="submit" class="primary" disabled=${g} data-testid="invite-create">${g?t("settings.working"):t("settings.members.invite")}</button></div>
    <p class="hint">${t("settings.members.invite_hint")}</p>
  </form>`}function Tt({site:e}){let s=O(()=>h.members.list(e),[e]),[n,a]=p(null),[r,o]=p(""),[c,l]=p(null),[g,v]=L(),u=s.data?.members||[],b=s.data?.invitations||[],m=async($,I)=>{o($.email),l(null);try{await h.members.setRole(e,$.email,I),v(t("settings.members.role_changed",{email:$.email,role:t(`role.${I}`)})),$.you&&await M()}catch(w){l(w)}s.reload(),o("")},f=async $=>{l(null);try{await h.invitations.cancel(e,$.id),v(t("settings.members.cancelled",{email:$.email}))}catch(I){l(I)}s.reload()};return i`<div class="settings-section">
    <${y} title=${t("settings.members.title")}>${t("settings.members.intro",{site:e})}</${y}>
    <${P} msg=${g} />

    <${d} id="members-list" title=${t("settings.members.list")} footer=${t("settings.members.roles_note")}>
      <${A} error=${c} />
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?i`<ul class=${s.loading?"defs stale":"defs"} data-testid="members">
              ${u.map(($,I)=>i`<li class="def member" key=${$.email} data-email=${$.email}>
                  <div class="def-main">
                    <strong class="def-name">${$.email}${$.you?i` <span class="badge">${t("settings.members.you")}</span>`:null}</strong>
                    <span class="def-what">${$.server_owner?t("settings.members.server_owner"):t(`role_can.${$.role}`)}</span>
                  </div>
                  <div class="def-actions">
                    ${$.server_owner?i`<span class="role-fixed">${t("role.owner")}</span>`:i`<${fe} id=${"member-role-"+I} value=${$.role} label=${t("settings.members.role_of",{email:$.email})}
                          disabled=${r===$.email} onChange=${w=>m($,w)} testid="member-role" />
                        <button type="button" class="small danger" onClick=${()=>a($)} data-testid="member-remove">${t("settings.members.remove")}<span class="sr-only"> ${$.email}</span></button>`}
                  </div>
                </li>`)}
            </ul>`:i`<${S} />`}
    </${d}>

    <${d} id="members-invite" title=${t("settings.members.invite_title")}>
      <${he} site=${e} onInvited=${s.reload} />
    </${d}>

    <${d} id="members-pending" title=${t("settings.members.pending")}>
      ${s.data?b.length?i`<ul class="defs" data-testid="invitations">
              ${b.map($=>i`<li class="def" key=${$.id}>
                  <div class="def-main">
                    <strong class="def-name">${$.email}</strong>
                    <span class="def-what">${t(`role.${$.role}`)} · ${t("settings.members.expires_short",{when:H.stamp($.expires_at)})}</span>
                  </div>
                  <div class="def-actions">
                    <button type="button" class="small" onClick=${()=>f($)} data-testid="invitation-cancel">${t("settings.members.cancel")}<span class="sr-only"> ${$.email}</span></button>
                  </div>
                </li>`)}
            </ul>`:i`<${E}>${t("settings.members.pending_none")}</${E}>`:s.error?null:i`<${S} lines=${1} />`}
    </${d}>

    ${n?i`<${D} title=${t("settings.members.remove_title",{email:n.email})} confirmLabel=${t("settings.members.remove_confirm")}
          onClose=${()=>a(null)}
          onConfirm=${async()=>{await h.members.remove(e,n.email),s.reload(),v(t("settings.members.removed",{email:n.email})),n.you&&await M()}}>
          <p>${n.you?t("settings.members.remove_you"):t("settings.members.remove_body",{site:e})}</p>
        </${D}>`:null}
  </div>`}function ve({site:e,onCreated:s}){let n=pt.value.filters,[a,r]=p({name:"",password:"",limit:!1,origins:""}),[o,c]=p(""),{busy:l,error:g,run:v}=Q(),u=m=>f=>r({...a,[m]:f.target.type==="checkbox"?f.target.checked:f.target.value}),b=m=>{m.preventDefault();let f={site_id:e,name:a.name.trim()};a.password&&(f.password=a.password),a.limit&&n.length&&(f.filters=n);let $=nt(a.origins,{commas:!0});return $.length&&(f.embed_origins=$),v(async()=>{let I=await h.shares.create(f);c(location.origin+I.path),r({name:"",password:"",limit:!1,origins:""}),s()})};return o?i`<${G} value=${o} label=${t("settings.shares.link")} copyWhat=${t("settings.shares.copy_what")}
      warnTitle=${t("settings.shares.once_title")} warn=${t("settings.shares.once")} onDone=${()=>c("")} testid="share-link">
      <p class="hint">${t("settings.shares.send")}</p>
    </${G}>`:i`<form class="settings-form" onSubmit=${b} data-testid="share-form">
    <label>${t("settings.shares.name")}
      <input value=${a.name} onInput=${u("name")} required maxlength="120" placeholder=${t("settings.shares.name_ph")} aria-describedby="share-name-hint" data-testid="share-name" />
      <small class="hint" id="share-name-hint">${t("settings.shares.name_hint")}</small>
    </label>
    <label>${t("settings.shares.password")}
      <input type="password" value=${a.password} onInput=${u("password")} autocomplete="new-password" aria-describedby="share-pw-hint" data-testid="share-password" />
      <small class="hint" id="share-pw-hint">${t("settings.shares.password_hint")}</small>
    </label>
    <div>
      <label class="check inline"><input type="checkbox" checked=${a.limit&&n.length>0} disabled=${!n.length} onChange=${u("limit")} data-testid="share-limit" /> ${t("settings.shares.limit")}</label>
      ${n.length?i`<${at} filters=${n} label=${t("settings.shares.current")} />`:i`<p class="hint">${t("settings.shares.no_filters")}</p>`}
    </div>
    <label>${t("settings.shares.origins")}
      <textarea rows="2" value=${a.origins} onInput=${u("origins")} placeholder="https://intranet.clinique-exemple.fr" aria-describedby="share-origins-hint" data-testid="share-origins"></textarea>
      <small class="hint" id="share-origins-hint">${t("settings.shares.origins_hint")}</small>
    </label>
    <${A} error=${g} />
    <div class="actions"><button type="submit" class="primary" disabled=${l} data-testid="share-create">${l?t("settings.working"):t("settings.shares.create")}</button></div>
  </form>`}function jt({site:e}){let s=O(()=>h.shares.list(e),[e]),[n,a]=p(null),[r,o]=L(),c=s.data?.shares||[];return i`<div class="settings-section">
    <${y} title=${t("settings.shares.title")}>${t("settings.shares.intro",{site:e})}</${y}>
    <${P} msg=${r} />

    <${d} id="shares-create" title=${t("settings.shares.create_title")}>
      <${ve} site=${e} onCreated=${s.reload} />
    </${d}>

    <${d} id="shares-list" title=${t("settings.shares.list")}>
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?c.length?i`<ul class=${s.loading?"defs stale":"defs"} data-testid="shares">
                ${c.map(l=>i`<li class="def" key=${l.id} data-id=${l.id}>
                    <div class="def-main">
                      <strong class="def-name">${l.name}</strong>
                      <span class="def-what">${t("settings.shares.created",{when:H.stamp(l.created_at)})} · ${l.password?t("settings.shares.with_password"):t("settings.shares.without_password")}</span>
                      ${l.filters?.length?i`<${at} filters=${l.filters} label=${t("settings.shares.limited_to")} />`:null}
                      ${l.embed_origins?.length?i`<span class="def-what">${t("settings.shares.embedded_in")} ${l.embed_origins.map(g=>i`<code>${g}</code> `)}</span>`:null}
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small danger" onClick=${()=>a(l)} data-testid="share-revoke">${t("settings.shares.revoke")}<span class="sr-only"> ${l.name}</span></button>
                    </div>
                  </li>`)}
              </ul>`:i`<${E}>${t("settings.shares.empty")}</${E}>`:i`<${S} />`}
    </${d}>

    ${n?i`<${D} title=${t("settings.shares.revoke_title",{name:n.name})} confirmLabel=${t("settings.shares.revoke_confirm")}
          onClose=${()=>a(null)}
          onConfirm=${async()=>{await h.shares.revoke(e,n.id),s.reload(),o(t("settings.shares.revoked",{name:n.name}))}}>
          <p>${t("settings.shares.revoke_body")}</p>
        </${D}>`:null}
  </div>`}function be(e){let s=`settings.audit.actions.${String(e).replace(/[^a-z0-9_]/gi,"_").toLowerCase()}`;return U(s)?t(s):null}function ye(e){let s=/^(.+):(viewer|editor|owner)$/.exec(e||"");return s?`${s[1]} (${t(`role.${s[2]}`)})`:e||"\u2013"}function Ft({site:e}){let s=O(a=>h.audit(e,{signal:a}),[e]),n=s.data?.entries||[];return i`<div class="settings-section">
    <${y} title=${t("settings.audit.title")}>${t("settings.audit.intro")}</${y}>
    <${d} id="audit-list" title=${t("settings.audit.list")} footer=${t("settings.audit.note")}>
      ${s.error?i`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?n.length?i`<div class="table-wrap"><table class="plain audit" data-testid="audit">
                <thead><tr><th scope="col">${t("settings.audit.col_at")}</th><th scope="col">${t("settings.audit.col_actor")}</th><th scope="col">${t("settings.audit.col_action")}</th><th scope="col">${t("settings.audit.col_target")}</th></tr></thead>
                <tbody>
                  ${n.map(a=>{let r=be(a.action);return i`<tr data-action=${a.action}>
                      <td class="nowrap" data-label=${t("settings.audit.col_at")}>${H.stamp(a.at)}</td>
                      <td class="wrap" data-label=${t("settings.audit.col_actor")}>${a.actor||"\u2013"}</td>
                      <td data-label=${t("settings.audit.col_action")}>${r||i`<code>${a.action}</code>`}</td>
                      <td class="wrap" data-label=${t("settings.audit.col_target")}>${ye(a.target)}</td>
                    </tr>`})}
                </tbody>
              </table></div>`:i`<${E}>${t("settings.audit.empty")}</${E}>`:i`<${S} />`}
    </${d}>
  </div>`}function Bt({site:e}){let[s,n]=p(""),[a,r]=p(!1),[o,c]=p(null),l=s.trim()===e,g=async v=>{if(v.preventDefault(),!!l){r(!0),c(null);try{await h.sites.remove(e,s.trim()),await M();let u=(J.value||[]).find(b=>b.domain!==e);ct({site:u?u.domain:null,view:"overview",filters:[],extra:{}},{keepExtra:!1})}catch(u){c(u),r(!1)}}};return i`<div class="settings-section">
    <${y} title=${t("settings.danger.title")}>${t("settings.danger.intro")}</${y}>
    <${d} id="danger-site" title=${t("settings.danger.delete_title",{site:e})}>
      <p>${t("settings.danger.what")}</p>
      <ul class="bullets">
        <li>${t("settings.danger.events")}</li>
        <li>${t("settings.danger.defs")}</li>
        <li>${t("settings.danger.access")}</li>
      </ul>
      <p class="callout-warn"><strong>${t("settings.danger.final_title")}</strong> ${t("settings.danger.final")}</p>
      <form class="settings-form" onSubmit=${g} data-testid="danger-form">
        <label>${t("settings.danger.type",{site:e})}
          <input value=${s} onInput=${v=>n(v.target.value)} autocomplete="off" spellcheck=${!1} placeholder=${e} data-testid="danger-confirm" />
        </label>
        <${A} error=${o} />
        <div class="actions"><button type="submit" class="danger strong" disabled=${!l||a} data-testid="danger-delete">${a?t("settings.working"):t("settings.danger.delete",{site:e})}</button></div>
      </form>
    </${d}>
  </div>`}var Mt={site:bt,install:kt,goals:xt,groups:Nt,funnels:Et,privacy:Lt,members:Tt,shares:jt,keys:qt,audit:Ft,danger:Bt,new_site:vt},_e=["members","shares","keys","audit","danger"];function ke(e){let s=j(e,"owner");return Object.keys(Mt).filter(n=>_e.includes(n)?s:n==="new_site"?$t():!0)}var Ht=e=>dt("section",e==="site"?null:e);function ei(){let e=lt.value,s=e.site,n=ke(s),a=n.includes(e.extra.section)?e.extra.section:"site",r=Mt[a];return i`<div class="view settings" data-testid="settings">
    <div class="settings-layout">
      <nav class="settings-nav" aria-label=${t("settings.nav.label")}>
        <ul>
          ${n.map(o=>i`<li><a href=${q("settings",o==="site"?{}:{section:o})}
              class=${o===a?"on":""} aria-current=${o===a?"page":void 0} data-testid=${"settings-nav-"+o}
              onClick=${c=>{c.metaKey||c.ctrlKey||c.shiftKey||c.button||(c.preventDefault(),Ht(o))}}>${t(`settings.nav.${o}`)}</a></li>`)}
        </ul>
      </nav>
      <label class="settings-picker">${t("settings.nav.pick")}
        <select value=${a} onChange=${o=>Ht(o.target.value)} data-testid="settings-picker">
          ${n.map(o=>i`<option value=${o}>${t(`settings.nav.${o}`)}</option>`)}
        </select>
      </label>
      <div class="settings-body" data-testid=${"settings-"+a}>
        <${r} key=${a+s} site=${s} />
      </div>
    </div>
  </div>`}export{ei as Settings};
