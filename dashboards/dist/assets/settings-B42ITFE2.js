import{a as y,b as Q,c as A,d as L,e as D,f as O,g as st,h as X,i as ft,k as ht}from"./chunk-52RHQJIL.js";import{a as $t,b as it,c as ut,d as et,e as gt}from"./chunk-FUOSUKDK.js";import"./chunk-VERAGQ7G.js";import{c as at}from"./chunk-TB5L45H4.js";import{a as P}from"./chunk-PWZCZ223.js";import"./chunk-CBEKRKDQ.js";import{b as p}from"./chunk-SDIG3UUD.js";import{a as J,b as pt,c as tt,d as M,e as Z,f as Y,r as j,u as mt}from"./chunk-5MBPYTCX.js";import{A as q,B as dt,F as f,G as S,H as R,I as N,b as a,c as m,d as V,e as K,l as U,m as t,o as H,x as rt,y as lt,z as ct}from"./chunk-DISHCL7X.js";function Mt(e){let s=[];try{s=Intl.supportedValuesOf("timeZone")}catch{}return s.includes(e)?s:[e,...s]}function Gt({site:e}){let s=Y(e),[n,i]=m(s?.timezone||""),[r,o]=m(!1),[c,l]=m(null),[u,b]=L(),g=P(v=>s?Promise.resolve(null):f.query({site_id:e,metrics:["visitors"],date_range:"day"},{signal:v}),[e,!!s]);if(s&&!j(e,"owner"))return a`<p class="settings-value"><strong data-testid="tz-value">${s.timezone}</strong></p>
      <p class="hint">${t("settings.site.tz_owner")}</p>`;if(!s){if(J.value===null||g.loading)return a`<${S} lines=${1} />`;let v=g.data?.meta?.time_zone;return a`<p class="settings-value">${v?a`<strong>${v}</strong>`:"\u2013"}</p>
      <p class="hint">${t("settings.site.tz_readonly")}</p>`}return a`<form class="inline-form" onSubmit=${async v=>{v.preventDefault(),o(!0),l(null);try{await f.sites.update({site_id:e,timezone:n}),await M(),b(t("settings.site.tz_saved",{tz:n}))}catch($){l($)}o(!1)}}>
    <label><span class="sr-only">${t("settings.site.tz")}</span>
      <select value=${n} onChange=${v=>i(v.target.value)} data-testid="tz">
        ${Mt(n).map(v=>a`<option value=${v}>${v}</option>`)}
      </select>
    </label>
    <button type="submit" class="primary" disabled=${r||n===s.timezone}>${r?t("settings.working"):t("settings.site.tz_save")}</button>
    <${D} error=${c} />
    <${A} msg=${u} />
  </form>`}function Kt({id:e,checked:s,onChange:n}){return a`<li class="option">
    <label class="check option-label">
      <input type="checkbox" checked=${s} onChange=${i=>n(i.target.checked)} aria-describedby=${"opt-"+e} data-testid=${"opt-"+e} />
      <span><strong>${t(`settings.site.opt.${e}.title`)}</strong> <code>data-${e}</code></span>
    </label>
    <p class="hint" id=${"opt-"+e}>${t(`settings.site.opt.${e}.body`)}</p>
  </li>`}var Wt="parcours('Booking Confirmed', {props: {specialty: 'cardiologie'}})",Vt="<script>window.parcours = window.parcours || function() { (window.parcours.q = window.parcours.q || []).push(arguments) }<\/script>";function vt({site:e}){let[s,n]=m({}),i=(o,c)=>n(l=>({...l,[o]:c})),r=it.filter(o=>s[o]).length+((s.exclude||"").trim()?1:0);return a`<div class="settings-section">
    <${y} title=${t("settings.site.title")}>${t("settings.site.intro")}</${y}>

    <${p} id="site-details" title=${t("settings.site.details")}>
      <dl class="facts">
        <div><dt>${t("settings.site.domain")}</dt>
          <dd><code class="big" data-testid="site-domain">${e}</code>
            <p class="hint">${t("settings.site.domain_hint")}</p></dd></div>
        <div><dt>${t("settings.site.tz")}</dt>
          <dd><${Gt} site=${e} />
            <p class="hint">${t("settings.site.tz_hint")}</p></dd></div>
      </dl>
    </${p}>

    <${p} id="site-snippet" title=${t("settings.site.install")}
      footer=${a`<a href=${q("settings",{section:"install"})}>${t("settings.site.then_check")}</a>`}>
      <ol class="steps">
        <li>${t("settings.site.step_paste")}</li>
        <li>${r?t("settings.site.step_options_some",{count:r}):t("settings.site.step_options")}</li>
        <li>${t("settings.site.step_check")}</li>
      </ol>
      <${gt} domain=${e} opts=${s} />
      <details class="more">
        <summary>${t("settings.site.noscript_title")}</summary>
        <p>${t("settings.site.noscript_body")}</p>
        <${et} text=${ut(e)} label=${t("settings.site.noscript_label")} testid="noscript" />
      </details>
    </${p}>

    <${p} id="site-options" title=${t("settings.site.options")}>
      <p>${t("settings.site.options_intro")}</p>
      <ul class="options">
        ${it.map(o=>a`<${Kt} id=${o} checked=${!!s[o]} onChange=${c=>i(o,c)} />`)}
        <li class="option exclude">
          <label class="option-label" for="opt-exclude-input"><span><strong>${t("settings.site.opt.exclude.title")}</strong> <code>data-exclude</code></span></label>
          <p class="hint" id="opt-exclude">${t("settings.site.opt.exclude.body")}</p>
          <input id="opt-exclude-input" class="wide" value=${s.exclude||""} placeholder="/admin/*, /espace-patient/**"
            aria-describedby="opt-exclude" onInput=${o=>i("exclude",o.target.value)} data-testid="opt-exclude" />
        </li>
      </ul>
      <p class="hint">${t("settings.site.options_more")}</p>
    </${p}>

    <${p} id="site-events" title=${t("settings.site.events")}
      footer=${a`<a href=${q("settings",{section:"goals"})}>${t("settings.site.events_goal")}</a>`}>
      <p>${t("settings.site.events_intro")}</p>
      <${et} text=${Wt} label=${t("settings.site.events_label")} testid="event-code" />
      <p>${t("settings.site.events_props")}</p>
      <p class="callout-warn"><strong>${t("settings.site.events_warn_title")}</strong> ${t("settings.site.events_warn")}</p>
      <details class="more">
        <summary>${t("settings.site.stub_title")}</summary>
        <p>${t("settings.site.stub_body")}</p>
        <${et} text=${Vt} label=${t("settings.site.stub_label")} testid="stub-code" />
      </details>
    </${p}>
  </div>`}var yt=4e3;function Ut(e){let[s,n]=m({data:null,error:null,at:null,fresh:!1}),[i,r]=m(0);return V(()=>{let o=!0,c,l,u=async()=>{if(clearTimeout(c),document.visibilityState!=="hidden"){l?.abort(),l=new AbortController;try{let g=await f.installCheck(e,{signal:l.signal});if(!o)return;n(h=>({data:g,error:null,at:new Date().toISOString(),fresh:!!h.data&&g.last_event_at!==h.data.last_event_at}))}catch(g){if(!o||g?.name==="AbortError")return;n(h=>({...h,error:g,at:new Date().toISOString()}))}}o&&(c=setTimeout(u,yt))};u();let b=()=>document.visibilityState==="visible"&&u();return document.addEventListener("visibilitychange",b),r(()=>u),()=>{o=!1,clearTimeout(c),l?.abort(),document.removeEventListener("visibilitychange",b)}},[e]),{...s,checkNow:i}}function Jt({a:e,fresh:s}){let n=e.events_last_5_minutes??0,i=e.events_last_30_minutes??0,r=e.last_event_at,o=n>0?"ok":i>0||r?"quiet":"none",c=n>0?t("settings.install.arriving",{count:n,time:X(r)}):i>0?t("settings.install.quiet_30",{count:i,time:X(r)}):r?t("settings.install.quiet_old",{time:X(r)}):t("settings.install.never",{days:e.meta?.last_event_window_days??30});return a`<div class=${`install-status lvl-${o}${s?" fresh":""}`} data-testid="install-status" data-level=${o}>
    <span class="install-dot" aria-hidden="true"></span>
    <div>
      <p class="install-head" role="status" aria-live="polite">${c}</p>
      ${n>0||i>0?a`<p class="install-sub">${t("settings.install.detail",{pageviews:e.pageviews_last_5_minutes??0,events30:i})}${r?" "+t("settings.install.ago",{ago:ft(r)}):""}</p>`:a`<p class="install-sub">${t("settings.install.none_sub")}</p>`}
    </div>
  </div>`}var Zt=["domain","real_visit","registered","proxy","blocker","dnt","csp","ignore"];function Yt({id:e,site:s}){let n=Y(s),i=null;return e==="domain"&&(i=a` <span class="cause-compare">${t("settings.install.registered_domain")} <code class="big">${s}</code></span>`),e==="dnt"&&n&&(i=a` <strong>${t(n.respect_dnt?"settings.install.dnt_on":"settings.install.dnt_off")}</strong>`),e==="csp"&&(i=a` <code>${location.origin}</code>`),a`<li class="cause" data-testid=${"cause-"+e}>
    <input type="checkbox" id=${"cause-"+e} aria-describedby=${"cause-"+e+"-d"} />
    <div>
      <label for=${"cause-"+e} class="cause-title">${t(`settings.install.cause.${e}.title`)}</label>
      <p id=${"cause-"+e+"-d"}>${t(`settings.install.cause.${e}.body`)}${i}</p>
    </div>
  </li>`}function bt(e,s){let n=`settings.install.reason.${e}.${s}`;return U(n)?t(n):null}function Qt({drops:e,site:s}){return e.length?a`<ul class="drops" data-testid="drops">
    ${e.map(n=>{let i=bt(n.reason,"title"),r=n.domain&&n.domain!==s;return a`<li class="drop">
        <div class="drop-head">
          <strong>${i||n.reason}</strong>
          <span class="drop-count">${t("settings.install.drop_count",{count:n.count??0})}</span>
        </div>
        <p>${bt(n.reason,"body")||t("settings.install.reason_unknown")}</p>
        <p class="hint">
          ${t("settings.install.drop_domain")} <code>${n.domain||"\u2013"}</code>${r?a` <span class="warn">${t("settings.install.drop_other_domain",{site:s})}</span>`:null}${" \xB7 "}${t("settings.install.drop_last",{time:X(n.last_at)})}
        </p>
      </li>`})}
  </ul>`:a`<p class="empty" data-testid="drops-none">${t("settings.install.drops_none")}</p>`}function _t({site:e}){let s=Ut(e),n=s.data,i=n&&(n.events_last_5_minutes??0)>0,r=`https://${e}/`;return a`<div class="settings-section">
    <${y} title=${t("settings.install.title")}>${t("settings.install.intro")}</${y}>

    <${p} id="install-live" title=${t("settings.install.live")}
      actions=${a`<button type="button" class="small" onClick=${()=>s.checkNow&&s.checkNow()} data-testid="check-now">${t("settings.install.check_now")}</button>`}
      footer=${s.at?t("settings.install.checked",{time:H.time(s.at),every:yt/1e3}):null}>
      ${n?a`<${Jt} a=${n} fresh=${s.fresh} />
            ${s.error?a`<${R} error=${s.error} />`:null}`:s.error?a`<${R} error=${s.error} onRetry=${s.checkNow} />`:a`<${S} lines=${2} />`}
      <div class="test-visit">
        <h3>${t("settings.install.test_title")}</h3>
        <ol class="steps">
          <li>${t("settings.install.test_1")} <a href=${r} target="_blank" rel="noopener noreferrer">${r}<span class="sr-only"> ${t("settings.install.new_tab")}</span></a></li>
          <li>${t("settings.install.test_2")}</li>
        </ol>
      </div>
    </${p}>

    <${p} id="install-causes" title=${i?t("settings.install.causes_title_ok"):t("settings.install.causes_title")}>
      <p>${i?t("settings.install.causes_intro_ok"):t("settings.install.causes_intro")}</p>
      <ul class="causes">${Zt.map(o=>a`<${Yt} id=${o} site=${e} />`)}</ul>
      <p class="hint"><a href=${q("settings",{})}>${t("settings.install.back_to_snippet")}</a></p>
    </${p}>

    <${p} id="install-drops" title=${t("settings.install.drops_title")}>
      <p class="hint">${t("settings.install.drops_intro",{minutes:Math.round((n?.meta?.drops_window_seconds??600)/60)})}${n?.meta?.drops_scope?" "+t("settings.install.drops_scope"):""}</p>
      ${n?a`<${Qt} drops=${n.recent_drops||[]} site=${e} />`:s.error?null:a`<${S} lines=${2} />`}
    </${p}>
  </div>`}var kt={name:"",kind:"event",event_name:"",page:""};function wt(e){return(tt.value.funnels||[]).filter(s=>(s.steps||[]).some(n=>n.goal===e)).map(s=>s.name)}function Xt({site:e,goals:s,editing:n,onSaved:i,onCancel:r}){let[o,c]=m(n?{name:n.name,kind:n.event_name?"event":"page",event_name:n.event_name||"",page:n.page||""}:kt),[l,u]=m(!1),[b,g]=m(null),[h,v]=m(""),$=K(),d=w=>_=>c({...o,[w]:_.target.value}),k=(P(w=>f.query({site_id:e,metrics:["visitors"],date_range:"30d",dimensions:["event:name"],pagination:{limit:30}},{signal:w}),[e]).data?.results||[]).map(w=>w.dimensions[0]).filter(w=>w&&w!=="(other)"&&w!=="pageview"),F=!n&&s.some(w=>w.name===o.name.trim());return a`<form class="settings-form" onSubmit=${async w=>{w.preventDefault();let _=o.name.trim(),x=o.kind==="event"?o.event_name.trim():o.page.trim();if(o.kind==="page"&&!x.startsWith("/"))return v(t("settings.goals.page_slash"));v(""),u(!0),g(null);try{await f.goals.save({site_id:e,name:_,...o.kind==="event"?{event_name:x}:{page:x}}),n&&n.name!==_&&await f.goals.remove(e,n.name),c(kt),await i(_,!!n),$.current?.focus()}catch(T){g(T)}u(!1)}} data-testid="goal-form" aria-labelledby="panel-goal-form">
    <label>${t("settings.goals.name")}
      <input ref=${$} value=${o.name} onInput=${d("name")} required maxlength="120" placeholder=${t("settings.goals.name_ph")} aria-describedby="goal-name-hint" data-testid="goal-name" />
      <small class="hint" id="goal-name-hint">${F?a`<span class="warn">${t("settings.goals.clash")}</span>`:t("settings.goals.name_hint")}</small>
    </label>
    <fieldset class="choice">
      <legend>${t("settings.goals.kind")}</legend>
      <label class="check"><input type="radio" name="goal-kind" value="event" checked=${o.kind==="event"} onChange=${()=>c({...o,kind:"event"})} data-testid="goal-kind-event" /> ${t("settings.goals.kind_event")}</label>
      <label class="check"><input type="radio" name="goal-kind" value="page" checked=${o.kind==="page"} onChange=${()=>c({...o,kind:"page"})} data-testid="goal-kind-page" /> ${t("settings.goals.kind_page")}</label>
    </fieldset>
    ${o.kind==="event"?a`<label>${t("settings.goals.event_name")}
            <input value=${o.event_name} onInput=${d("event_name")} required maxlength="200" list="goal-events" placeholder="Booking Confirmed" aria-describedby="goal-event-hint" data-testid="goal-event" />
            <small class="hint" id="goal-event-hint">${t("settings.goals.event_hint")}</small>
          </label>
          <datalist id="goal-events">${k.map(w=>a`<option value=${w}></option>`)}</datalist>
          ${k.length?a`<div class="suggestions" role="group" aria-label=${t("settings.goals.seen")}>
                <span class="hint">${t("settings.goals.seen")}</span>
                ${k.slice(0,12).map(w=>a`<button type="button" class="suggestion" aria-pressed=${o.event_name===w?"true":"false"} onClick=${()=>c({...o,event_name:w})}>${w}</button>`)}
              </div>`:null}`:a`<label>${t("settings.goals.page")}
          <input value=${o.page} onInput=${d("page")} required maxlength="500" placeholder="/prendre-rendez-vous/confirmation" aria-describedby="goal-page-hint" aria-invalid=${h?"true":void 0} data-testid="goal-page" />
          <small class="hint" id="goal-page-hint">${h?a`<span class="warn">${h}</span> `:null}${t("settings.goals.page_hint")}</small>
        </label>`}
    <${D} error=${b} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${l} data-testid="goal-save">${l?t("settings.working"):n?t("settings.save_changes"):t("settings.goals.add")}</button>
      ${n?a`<button type="button" class="ghost" onClick=${r}>${t("action.cancel")}</button>`:null}
    </div>
  </form>`}function te(e){return e.event_name?t("settings.goals.when_event"):t("settings.goals.when_page")}function St({site:e}){let s=P(()=>f.goals.list(e),[e]),n=j(e,"editor"),[i,r]=m(null),[o,c]=m(null),[l,u]=L(),b=K(),g=s.data?.goals||[],h=async()=>{s.reload(),await Z(e)},v=$=>{r($),requestAnimationFrame(()=>{b.current?.scrollIntoView({block:"start",behavior:"smooth"}),b.current?.querySelector("input")?.focus({preventScroll:!0})})};return a`<div class="settings-section">
    <${y} title=${t("settings.goals.title")}>${t("settings.goals.intro")}</${y}>
    ${n?null:a`<${Q} need="editor" />`}
    <${A} msg=${l} />

    <${p} id="goals-list" title=${t("settings.goals.list")}>
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?g.length?a`<ul class=${s.loading?"defs stale":"defs"} data-testid="goals">
                ${g.map($=>a`<li class="def">
                    <div class="def-main">
                      <strong class="def-name">${$.name}</strong>
                      <span class="def-what">${te($)} <code>${$.event_name||$.page}</code></span>
                    </div>
                    ${n?a`<div class="def-actions">
                          <button type="button" class="small" onClick=${()=>v($)}>${t("action.edit")}<span class="sr-only"> ${$.name}</span></button>
                          <button type="button" class="small danger" onClick=${()=>c($)} data-testid="goal-delete">${t("action.delete")}<span class="sr-only"> ${$.name}</span></button>
                        </div>`:null}
                  </li>`)}
              </ul>`:a`<${N}>${t("settings.goals.empty")}</${N}>`:a`<${S} />`}
    </${p}>

    ${n?a`<div ref=${b}>
      <${p} id="goal-form" title=${i?t("settings.goals.edit_title",{name:i.name}):t("settings.goals.add_title")}
        footer=${a`${t("settings.goals.where")} <a href=${q("overview")}>${t("nav.overview")}</a>, <a href=${q("funnels")}>${t("nav.funnels")}</a>, <a href=${q("attribution")}>${t("nav.attribution")}</a>`}>
        <${Xt} key=${i?i.name:"new"} site=${e} goals=${g} editing=${i}
          onCancel=${()=>r(null)}
          onSaved=${async($,d)=>{r(null),await h(),u(t(d?"settings.goals.saved":"settings.goals.added",{name:$}))}} />
      </${p}>
    </div>`:null}

    ${o?a`<${O} title=${t("settings.goals.delete_title",{name:o.name})} confirmLabel=${t("settings.goals.delete_confirm")}
          onClose=${()=>c(null)}
          onConfirm=${async()=>{await f.goals.remove(e,o.name),i?.name===o.name&&r(null),await h(),u(t("settings.goals.deleted",{name:o.name}))}}>
          <p>${t("settings.goals.delete_body")}</p>
          ${wt(o.name).length?a`<p class="warn">${t("settings.goals.delete_used",{funnels:wt(o.name).join(", ")})}</p>`:null}
        </${O}>`:null}
  </div>`}function ee(e){if(!e.startsWith("/"))return null;let s="^";for(let n=0;n<e.length;n++){let i=e[n];i==="*"?e[n+1]==="*"?(n++,s.endsWith("/")&&n===e.length-1?s=s.slice(0,-1)+"(/.*)?":s+=".*"):s+="[^/]*":s+=i.replace(/[.*+?^${}()|[\]\\]/g,"\\$&")}return new RegExp(s+"$")}function se(e){let s=e.trim();if(!s)return"";try{return new URL(s,"https://example.org").pathname}catch{return s}}function xt(e){return(tt.value.funnels||[]).filter(s=>(s.steps||[]).some(n=>n.content_group===e)).map(s=>s.name)}var ne=(e,s)=>e.position-s.position||e.name.localeCompare(s.name);function ae({groups:e}){let[s,n]=m(""),i=se(s),r=i?e.filter(o=>(o.patterns||[]).some(c=>ee(c)?.test(i))):[];return a`<div class="tester" data-testid="group-tester">
    <label>${t("settings.groups.test_label")}
      <input value=${s} onInput=${o=>n(o.target.value)} placeholder="/symptomes/migraine" aria-describedby="group-test-result" data-testid="group-test" />
    </label>
    <p id="group-test-result" class="tester-result" aria-live="polite">
      ${i?r.length?a`${t("settings.groups.test_in")} <strong>${r[0].name}</strong>${r.length>1?a` <span class="hint">${t("settings.groups.test_also",{names:r.slice(1).map(o=>o.name).join(", ")})}</span>`:null}`:t("settings.groups.test_none"):a`<span class="hint">${t("settings.groups.test_hint")}</span>`}
    </p>
  </div>`}function ie({site:e,groups:s,editing:n,onSaved:i,onCancel:r}){let o=s.reduce((C,E)=>Math.max(C,E.position||0),0)+1,[c,l]=m(n?.name||""),[u,b]=m(n?.patterns?.length?n.patterns:[""]),[g,h]=m(String(n?n.position:o)),[v,$]=m(!1),[d,I]=m(null),[k,F]=m(-1),W=K(),w=(C,E)=>b(u.map((B,z)=>z===C?E:B)),_=()=>{b([...u,""]),requestAnimationFrame(()=>{let C=W.current?.querySelectorAll("input");C?.[C.length-1]?.focus()})},x=!n&&s.some(C=>C.name===c.trim());return a`<form class="settings-form" onSubmit=${async C=>{C.preventDefault();let E=u.map(z=>z.trim()).filter(Boolean),B=u.findIndex(z=>z.trim()&&!z.trim().startsWith("/"));if(F(B),!(B>=0||!E.length)){$(!0),I(null);try{let z=c.trim();await f.groups.save({site_id:e,name:z,patterns:E,position:Math.max(0,parseInt(g,10)||0)}),n&&n.name!==z&&await f.groups.remove(e,n.name),await i(z,!!n)}catch(z){I(z)}$(!1)}}} data-testid="group-form" aria-labelledby="panel-group-form">
    <label>${t("settings.groups.name")}
      <input value=${c} onInput=${C=>l(C.target.value)} required maxlength="120" placeholder=${t("settings.groups.name_ph")} aria-describedby="group-name-hint" data-testid="group-name" />
      <small class="hint" id="group-name-hint">${x?a`<span class="warn">${t("settings.groups.clash")}</span>`:t("settings.groups.name_hint")}</small>
    </label>
    <fieldset class="patterns">
      <legend>${t("settings.groups.patterns")}</legend>
      <p class="hint" id="group-patterns-hint">${t("settings.groups.patterns_hint")}</p>
      <ul ref=${W}>
        ${u.map((C,E)=>a`<li>
            <input value=${C} onInput=${B=>w(E,B.target.value)} placeholder="/symptomes/**" required=${E===0}
              aria-label=${t("settings.groups.pattern_n",{n:E+1})} aria-describedby="group-patterns-hint" aria-invalid=${k===E?"true":void 0} data-testid="group-pattern" />
            ${u.length>1?a`<button type="button" class="small ghost" onClick=${()=>b(u.filter((B,z)=>z!==E))}>${t("settings.groups.pattern_remove")}<span class="sr-only"> ${t("settings.groups.pattern_n",{n:E+1})}</span></button>`:null}
            ${k===E?a`<span class="warn hint" role="alert">${t("settings.groups.pattern_slash")}</span>`:null}
          </li>`)}
      </ul>
      <button type="button" class="small" onClick=${_} data-testid="group-add-pattern">${t("settings.groups.pattern_add")}</button>
    </fieldset>
    <label class="narrow">${t("settings.groups.position")}
      <input type="number" min="0" step="1" value=${g} onInput=${C=>h(C.target.value)} aria-describedby="group-pos-hint" data-testid="group-position" />
      <small class="hint" id="group-pos-hint">${t("settings.groups.position_hint")}</small>
    </label>
    <${D} error=${d} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${v} data-testid="group-save">${v?t("settings.working"):n?t("settings.save_changes"):t("settings.groups.add")}</button>
      ${n?a`<button type="button" class="ghost" onClick=${r}>${t("action.cancel")}</button>`:null}
    </div>
  </form>`}function Ct({site:e}){let s=P(()=>f.groups.list(e),[e]),n=j(e,"editor"),[i,r]=m(null),[o,c]=m(null),[l,u]=m(!1),[b,g]=m(null),[h,v]=m(null),[$,d]=L(),I=K(),k=[...s.data?.content_groups||[]].sort(ne);V(()=>{if(!h||s.loading)return;let _=[...document.querySelectorAll("[data-testid=groups] > li")].find(E=>E.dataset.group===h.name),[x,T]=_?_.querySelectorAll("button.move"):[];(h.by<0?x?.disabled?T:x:T?.disabled?x:T)?.focus(),v(null)},[s.data,s.loading,h]);let F=async()=>{s.reload(),await Z(e)},W=_=>{r(_),requestAnimationFrame(()=>{I.current?.scrollIntoView({block:"start",behavior:"smooth"}),I.current?.querySelector("input")?.focus({preventScroll:!0})})},w=async(_,x)=>{if(l)return;let T=[...k],[C]=T.splice(_,1);T.splice(_+x,0,C),u(!0),g(null);try{for(let[E,B]of T.entries())B.position!==E+1&&await f.groups.save({site_id:e,name:B.name,patterns:B.patterns,position:E+1});await F(),v({name:C.name,by:x}),d(t("settings.groups.moved",{name:C.name,n:_+x+1}))}catch(E){g(E),s.reload()}u(!1)};return a`<div class="settings-section">
    <${y} title=${t("settings.groups.title")}>${t("settings.groups.intro")}</${y}>
    ${n?null:a`<${Q} need="editor" />`}
    <${A} msg=${$} />

    <${p} id="groups-list" title=${t("settings.groups.list")} footer=${t("settings.groups.order_note")}>
      <${D} error=${b} />
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?k.length?a`<ol class=${s.loading||l?"defs stale":"defs"} data-testid="groups">
                ${k.map((_,x)=>a`<li class="def" key=${_.name} data-group=${_.name}>
                    <span class="def-pos" title=${t("settings.groups.position")}>${x+1}</span>
                    <div class="def-main">
                      <strong class="def-name">${_.name}</strong>
                      <span class="def-what">${(_.patterns||[]).map(T=>a`<code>${T}</code> `)}</span>
                    </div>
                    ${n?a`<div class="def-actions">
                      <button type="button" class="small ghost move" disabled=${x===0} aria-disabled=${l?"true":void 0} onClick=${()=>w(x,-1)}
                        aria-label=${t("settings.groups.up",{name:_.name})} title=${t("settings.groups.up",{name:_.name})}>↑</button>
                      <button type="button" class="small ghost move" disabled=${x===k.length-1} aria-disabled=${l?"true":void 0} onClick=${()=>w(x,1)}
                        aria-label=${t("settings.groups.down",{name:_.name})} title=${t("settings.groups.down",{name:_.name})}>↓</button>
                      <button type="button" class="small" onClick=${()=>W(_)}>${t("action.edit")}<span class="sr-only"> ${_.name}</span></button>
                      <button type="button" class="small danger" onClick=${()=>c(_)} data-testid="group-delete">${t("action.delete")}<span class="sr-only"> ${_.name}</span></button>
                    </div>`:null}
                  </li>`)}
              </ol>`:a`<${N}>${t("settings.groups.empty")}</${N}>`:a`<${S} />`}
      ${k.length?a`<${ae} groups=${k} />`:null}
    </${p}>

    ${n?a`<div ref=${I}>
      <${p} id="group-form" title=${i?t("settings.groups.edit_title",{name:i.name}):t("settings.groups.add_title")}>
        <div class="form-with-help">
          <${ie} key=${i?i.name:"new"+k.length} site=${e} groups=${k} editing=${i}
            onCancel=${()=>r(null)}
            onSaved=${async(_,x)=>{r(null),await F(),d(t(x?"settings.groups.saved":"settings.groups.added",{name:_}))}} />
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
    </div>`:null}

    ${o?a`<${O} title=${t("settings.groups.delete_title",{name:o.name})} confirmLabel=${t("settings.groups.delete_confirm")}
          onClose=${()=>c(null)}
          onConfirm=${async()=>{await f.groups.remove(e,o.name),i?.name===o.name&&r(null),await F(),d(t("settings.groups.deleted",{name:o.name}))}}>
          <p>${t("settings.groups.delete_body")}</p>
          ${xt(o.name).length?a`<p class="warn">${t("settings.groups.delete_used",{funnels:xt(o.name).join(", ")})}</p>`:null}
        </${O}>`:null}
  </div>`}var oe=["content_group","page","goal","event"];function re({s:e}){let s=oe.find(r=>e[r]!==void 0&&e[r]!==null&&e[r]!==""),n=s?e[s]:"",i=e.props&&Object.keys(e.props).length?Object.entries(e.props).map(([r,o])=>`${r} = ${o}`).join(", "):"";return a`<li class="funnel-step">
    <span class="step-name">${e.name||n}</span>
    ${s?a`<span class="step-what">${t(`settings.funnels.kind.${s}`)} ${s==="page"||s==="event"?a`<code>${n}</code>`:n!==e.name?a`<em>${n}</em>`:null}${i?a` <span class="hint">(${i})</span>`:null}</span>`:null}
  </li>`}function le(e){let s=/^(\d+)\s*([smhd])$/.exec(String(e||"1d"));return s?t(`settings.funnels.win_${s[2]}`,{count:+s[1]}):String(e)}function ce(e){let s=String(e).replace(/^(visit|event):/,"");return U(`dim.${s}`)?t(`dim.${s}`):s}function Et({site:e}){let s=P(()=>f.funnels.list(e),[e]),[n,i]=m(null),[r,o]=L(),c=s.data?.funnels||[];return a`<div class="settings-section">
    <${y} title=${t("settings.funnels.title")}>${t("settings.funnels.intro")}</${y}>
    <${A} msg=${r} />
    <${p} id="funnels-list" title=${t("settings.funnels.list")}
      footer=${a`<a href=${q("funnels")}>${t("settings.funnels.build")}</a>`}>
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?c.length?a`<ul class=${s.loading?"funnel-list stale":"funnel-list"} data-testid="funnels">
                ${c.map(l=>a`<li class="funnel-card" key=${l.name}>
                    <div class="funnel-head">
                      <h3 class="funnel-name">${l.name}</h3>
                      <div class="def-actions">
                        <a class="button small" href=${q("funnels",{funnel:l.name})}>${t("settings.funnels.open")}<span class="sr-only"> ${l.name}</span></a>
                        ${j(e,"editor")?a`<button type="button" class="small danger" onClick=${()=>i(l)} data-testid="funnel-delete">${t("action.delete")}<span class="sr-only"> ${l.name}</span></button>`:null}
                      </div>
                    </div>
                    <ol class="funnel-steps" aria-label=${t("settings.funnels.steps",{count:(l.steps||[]).length})}>
                      ${(l.steps||[]).map(u=>a`<${re} s=${u} />`)}
                    </ol>
                    <p class="hint">
                      ${t("settings.funnels.steps",{count:(l.steps||[]).length})} · ${t("settings.funnels.within",{window:le(l.window)})}${l.breakdown?` \xB7 ${t("settings.funnels.by",{dim:ce(l.breakdown)})}`:""}${l.filters?.length?` \xB7 ${t("settings.funnels.filters",{count:l.filters.length})}`:""}
                    </p>
                  </li>`)}
              </ul>`:a`<${N}>${t("settings.funnels.empty")} <a href=${q("funnels")}>${t("settings.funnels.empty_link")}</a></${N}>`:a`<${S} />`}
    </${p}>

    ${n?a`<${O} title=${t("settings.funnels.delete_title",{name:n.name})} confirmLabel=${t("settings.funnels.delete_confirm")}
          onClose=${()=>i(null)}
          onConfirm=${async()=>{await f.funnels.remove(e,n.name),s.reload(),await Z(e),o(t("settings.funnels.deleted",{name:n.name}))}}>
          <p>${t("settings.funnels.delete_body")}</p>
        </${O}>`:null}
  </div>`}var Dt=["sensitive_paths","partner_domains","query_allow"],Ot=["min_group_size","retention_months"],Pt=["respect_dnt","city_enabled"];function Nt(e){let s={};for(let n of Dt)s[n]=(e[n]||[]).join(`
`);for(let n of Ot)s[n]=e[n]===void 0||e[n]===null?"":String(e[n]);for(let n of Pt)s[n]=!!e[n];return s}function de(e,s){let n={};for(let i of Dt){let r=st(s[i],{commas:i!=="sensitive_paths"});JSON.stringify(r)!==JSON.stringify(e[i]||[])&&(n[i]=r)}for(let i of Ot){let r=s[i].trim()===""?null:Number(s[i]);r!==null&&r!==e[i]&&(n[i]=r)}for(let i of Pt)s[i]!==!!e[i]&&(n[i]=s[i]);return n}function nt({id:e}){return a`<p class="hint field-help" id=${"help-"+e}>${t(`settings.privacy.${e}.help`)}</p>`}function ot({id:e,f:s,set:n,placeholder:i,rows:r=3}){return a`<div class="field">
    <label for=${"f-"+e}>${t(`settings.privacy.${e}.label`)}</label>
    <${nt} id=${e} />
    <textarea id=${"f-"+e} rows=${r} value=${s[e]} onInput=${o=>n(e,o.target.value)} placeholder=${i}
      aria-describedby=${"help-"+e} spellcheck=${!1} autocapitalize="off" data-testid=${"f-"+e}></textarea>
    <small class="hint">${t("settings.privacy.one_per_line")}</small>
  </div>`}function It({id:e,f:s,set:n,min:i,max:r,unit:o,warn:c}){return a`<div class="field">
    <label for=${"f-"+e}>${t(`settings.privacy.${e}.label`)}</label>
    <${nt} id=${e} />
    <span class="with-unit">
      <input id=${"f-"+e} type="number" min=${i} max=${r} step="1" value=${s[e]} onInput=${l=>n(e,l.target.value)}
        aria-describedby=${"help-"+e+(c?" warn-"+e:"")} data-testid=${"f-"+e} />
      <span aria-hidden="true">${o}</span>
    </span>
    ${c?a`<p class="warn hint" id=${"warn-"+e}>${c}</p>`:null}
  </div>`}function Rt({id:e,f:s,set:n}){return a`<div class="field flag">
    <label class="check">
      <input type="checkbox" checked=${s[e]} onChange=${i=>n(e,i.target.checked)} aria-describedby=${"help-"+e} data-testid=${"f-"+e} />
      <span>${t(`settings.privacy.${e}.label`)}</span>
    </label>
    <${nt} id=${e} />
  </div>`}function pe({site:e,on:s}){return a`<div class="field" data-testid="f-consented_journeys">
    <span class="field-label">${t("settings.privacy.consented_journeys.label")}</span>
    <p class="consent-state"><strong>${t(s?"settings.privacy.consented_journeys.on":"settings.privacy.consented_journeys.off")}</strong></p>
    <${nt} id="consented_journeys" />
    <p class="hint">${t("settings.privacy.consented_journeys.admin")} <code>${`parcours sites set ${e} --consent-journeys ${s?"false":"true"}`}</code></p>
  </div>`}function me({site:e,info:s,onSaved:n,readOnly:i}){let[r,o]=m(()=>Nt(s)),[c,l]=m(!1),[u,b]=m(null),g=(k,F)=>o(W=>({...W,[k]:F})),h=de(s,r),v=Object.keys(h).length,$=async k=>{if(k.preventDefault(),!!v){l(!0),b(null);try{await f.sites.update({site_id:e,...h}),await n(Object.keys(h))}catch(F){b(F)}l(!1)}},d=Number(r.retention_months),I=Number(r.min_group_size);return a`<form class="settings-form privacy-form" onSubmit=${$} data-testid="privacy-form" aria-label=${t("settings.privacy.form")}>
    <fieldset class="bare" disabled=${i}>
    <${p} id="privacy-protect" title=${t("settings.privacy.protect")}>
      <${ot} id="sensitive_paths" f=${r} set=${g} placeholder=${`/pathologies/**
/traitements/**`} />
      <${It} id="min_group_size" f=${r} set=${g} min="2" max="1000" unit=${t("settings.privacy.visitors_unit")}
        warn=${r.min_group_size!==""&&I>=2&&I<5?t("settings.privacy.min_group_size.low"):null} />
      <${Rt} id="city_enabled" f=${r} set=${g} />
      <${Rt} id="respect_dnt" f=${r} set=${g} />
    </${p}>
    <${p} id="privacy-sources" title=${t("settings.privacy.sources")}>
      <${ot} id="partner_domains" f=${r} set=${g} placeholder=${`cabinet-dupont.fr
maison-sante-exemple.fr`} />
      <${ot} id="query_allow" f=${r} set=${g} placeholder="lang" rows="2" />
    </${p}>
    <${p} id="privacy-time" title=${t("settings.privacy.time")}>
      <${It} id="retention_months" f=${r} set=${g} min="1" max="120" unit=${t("settings.privacy.months_unit")}
        warn=${r.retention_months!==""&&d>=1&&d<(s.retention_months||0)?t("settings.privacy.retention_months.lower",{months:d}):null} />
      ${s.consented_journeys!==void 0?a`<${pe} site=${e} on=${!!s.consented_journeys} />`:null}
    </${p}>
    </fieldset>
    ${i?null:a`<div class=${v?"save-bar dirty":"save-bar"} data-testid="privacy-save-bar">
      <${D} error=${u} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${!v||c} data-testid="privacy-save">${c?t("settings.working"):t("settings.privacy.save",{count:v})}</button>
        <button type="button" class="ghost" disabled=${!v||c} onClick=${()=>{o(Nt(s)),b(null)}}>${t("settings.privacy.undo")}</button>
        <span class="hint" aria-live="polite">${v?t("settings.privacy.unsaved",{count:v}):t("settings.privacy.no_changes")}</span>
      </div>
    </div>`}
  </form>`}function At({site:e}){let s=!j(e,"owner"),[n,i]=L(),r=Y(e),o;return J.value===null?o=a`<${S} />`:r?o=a`${s?a`<${Q} />`:null}<${me} key=${JSON.stringify(r)} site=${e} info=${r} readOnly=${s}
      onSaved=${async c=>{await M(),i(t("settings.privacy.saved",{count:c.length}))}} />`:o=a`<${R} error=${pt.value} onRetry=${M} />`,a`<div class="settings-section">
    <${y} title=${t("settings.privacy.title")}>${t("settings.privacy.intro")}</${y}>
    <${A} msg=${n} />
    ${o}
  </div>`}function G({value:e,label:s,copyWhat:n,warnTitle:i,warn:r,children:o,onDone:c,testid:l}){let u=K();return V(()=>{u.current?.focus()},[e]),a`<div class="new-key" data-testid=${l}>
    <p class="new-key-warn" role="alert"><strong>${i}</strong> ${r}</p>
    <label for=${l+"-value"}>${s}</label>
    <div class="key-row">
      <input id=${l+"-value"} ref=${u} class="key-value" readonly value=${e} onFocus=${b=>b.target.select()} spellcheck=${!1} data-testid=${l+"-value"} />
      <${$t} text=${e} what=${n} primary />
    </div>
    ${o}
    <button type="button" class="ghost small" onClick=${c}>${t("settings.keys.done")}</button>
  </div>`}function $e({site:e,onCreated:s}){let[n,i]=m(""),[r,o]=m(!0),[c,l]=m(""),[u,b]=m(!1),[g,h]=m(null),v=async $=>{$?.preventDefault(),b(!0),h(null);try{let d=await f.keys.create(e,n.trim(),r);l(d.key),i(""),s()}catch(d){h(d)}b(!1)};return c?a`<${G} value=${c} label=${t("settings.keys.new_key")} copyWhat=${t("settings.keys.copy_what")}
      warnTitle=${t("settings.keys.once_title")} warn=${t("settings.keys.once")} onDone=${()=>l("")} testid="new-key">
      <p class="hint">${t("settings.keys.store")}</p>
    </${G}>`:a`<form class="settings-form" onSubmit=${v} data-testid="key-form">
    <p>${t("settings.keys.create_intro")}</p>
    <label>${t("settings.keys.name")}
      <input value=${n} onInput=${$=>i($.target.value)} maxlength="120" placeholder=${t("settings.keys.name_ph")} aria-describedby="key-name-hint" data-testid="key-name" />
      <small class="hint" id="key-name-hint">${t("settings.keys.name_hint")}</small>
    </label>
    <label class="check inline"><input type="checkbox" checked=${r} onChange=${$=>o($.target.checked)} data-testid="key-read-only" /> ${t("settings.keys.read_only")}</label>
    <p class="hint">${r?t("settings.keys.read_only_hint"):t("settings.keys.full_hint")}</p>
    <${D} error=${g} onRetry=${v} />
    <div class="actions"><button type="submit" class="primary" disabled=${u} data-testid="key-create">${u?t("settings.working"):t("settings.keys.create")}</button></div>
  </form>`}function Lt({site:e}){let s=P(()=>f.keys.list(e),[e]),[n,i]=m(null),[r,o]=L(),c=s.data?.keys||[];return a`<div class="settings-section">
    <${y} title=${t("settings.keys.title")}>${t("settings.keys.intro",{site:e})}</${y}>
    <${A} msg=${r} />

    <${p} id="keys-list" title=${t("settings.keys.list")}>
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?c.length?a`<ul class=${s.loading?"defs stale":"defs"} data-testid="keys">
                ${c.map(l=>a`<li class="def" key=${l.id} data-id=${l.id}>
                    <div class="def-main">
                      <strong class="def-name">${l.name||t("settings.keys.unnamed")}</strong>
                      <span class="def-what"><code>${l.prefix}…</code> · ${l.read_only?t("settings.keys.access_read"):t("settings.keys.access_full")} · ${t("settings.keys.created",{when:H.stamp(l.created_at)})}</span>
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small danger" onClick=${()=>i(l)} data-testid="key-revoke">${t("settings.keys.revoke_button")}<span class="sr-only"> ${l.name||l.prefix}</span></button>
                    </div>
                  </li>`)}
              </ul>`:a`<${N}>${t("settings.keys.empty")}</${N}>`:a`<${S} />`}
    </${p}>

    <${p} id="keys-create" title=${t("settings.keys.create_title")}>
      <${$e} site=${e} onCreated=${s.reload} />
    </${p}>

    <${p} id="keys-what" title=${t("settings.keys.what")}>
      <ul class="bullets">
        <li>${t("settings.keys.opens",{site:e})}</li>
        <li>${t("settings.keys.not_opens")}</li>
        <li>${t("settings.keys.uses")}</li>
        <li>${t("settings.keys.secret")}</li>
      </ul>
    </${p}>

    ${n?a`<${O} title=${t("settings.keys.revoke_title",{name:n.name||n.prefix})} confirmLabel=${t("settings.keys.revoke_confirm")}
          onClose=${()=>i(null)}
          onConfirm=${async()=>{await f.keys.revoke(e,n.id),s.reload(),o(t("settings.keys.revoked",{name:n.name||n.prefix}))}}>
          <p>${t("settings.keys.revoke_body")}</p>
        </${O}>`:null}
  </div>`}var qt=["viewer","editor","owner"];function ue({value:e,onChange:s,id:n,label:i,disabled:r,testid:o}){return a`<label class="inline" for=${n}><span class="sr-only">${i}</span>
    <select id=${n} value=${e} onChange=${c=>s(c.target.value)} disabled=${r} data-testid=${o}>
      ${qt.map(c=>a`<option value=${c}>${t(`role.${c}`)}</option>`)}
    </select></label>`}function ge({site:e,onInvited:s}){let[n,i]=m(""),[r,o]=m("viewer"),[c,l]=m(null),[u,b]=m(!1),[g,h]=m(null),v=async $=>{$.preventDefault(),b(!0),h(null);try{let d=await f.invitations.create(e,n.trim(),r);l({url:location.origin+d.path,email:n.trim(),expires:d.expires_at}),i(""),s()}catch(d){h(d)}b(!1)};return c?a`<${G} value=${c.url} label=${t("settings.members.link_for",{email:c.email})} copyWhat=${t("settings.members.copy_what")}
      warnTitle=${t("settings.members.once_title")} warn=${t("settings.members.once")} onDone=${()=>l(null)} testid="invite-link">
      <p class="hint">${t("settings.members.no_email")}</p>
      <p class="hint">${t("settings.members.expires",{when:H.stamp(c.expires)})}</p>
    </${G}>`:a`<form class="settings-form" onSubmit=${v} data-testid="invite-form">
    <label>${t("settings.members.email")}
      <input type="email" value=${n} onInput=${$=>i($.target.value)} required autocomplete="off" placeholder=${t("settings.members.email_ph")} data-testid="invite-email" />
    </label>
    <fieldset class="choice">
      <legend>${t("settings.members.role")}</legend>
      ${qt.map($=>a`<label class="check"><input type="radio" name="invite-role" value=${$} checked=${r===$} onChange=${()=>o($)} data-testid=${"invite-role-"+$} />
          <span><strong>${t(`role.${$}`)}</strong> <span class="hint">${t(`role_can.${$}`)}</span></span></label>`)}
    </fieldset>
    <${D} error=${g} />
    <div class="actions"><button type="submit" class="primary" disabled=${u} data-testid="invite-create">${u?t("settings.working"):t("settings.members.invite")}</button></div>
    <p class="hint">${t("settings.members.invite_hint")}</p>
  </form>`}function zt({site:e}){let s=P(()=>f.members.list(e),[e]),[n,i]=m(null),[r,o]=m(""),[c,l]=m(null),[u,b]=L(),g=s.data?.members||[],h=s.data?.invitations||[],v=async(d,I)=>{o(d.email),l(null);try{await f.members.setRole(e,d.email,I),b(t("settings.members.role_changed",{email:d.email,role:t(`role.${I}`)})),d.you&&await M()}catch(k){l(k)}s.reload(),o("")},$=async d=>{l(null);try{await f.invitations.cancel(e,d.id),b(t("settings.members.cancelled",{email:d.email}))}catch(I){l(I)}s.reload()};return a`<div class="settings-section">
    <${y} title=${t("settings.members.title")}>${t("settings.members.intro",{site:e})}</${y}>
    <${A} msg=${u} />

    <${p} id="members-list" title=${t("settings.members.list")} footer=${t("settings.members.roles_note")}>
      <${D} error=${c} />
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?a`<ul class=${s.loading?"defs stale":"defs"} data-testid="members">
              ${g.map((d,I)=>a`<li class="def member" key=${d.email} data-email=${d.email}>
                  <div class="def-main">
                    <strong class="def-name">${d.email}${d.you?a` <span class="badge">${t("settings.members.you")}</span>`:null}</strong>
                    <span class="def-what">${d.server_owner?t("settings.members.server_owner"):t(`role_can.${d.role}`)}</span>
                  </div>
                  <div class="def-actions">
                    ${d.server_owner?a`<span class="role-fixed">${t("role.owner")}</span>`:a`<${ue} id=${"member-role-"+I} value=${d.role} label=${t("settings.members.role_of",{email:d.email})}
                          disabled=${r===d.email} onChange=${k=>v(d,k)} testid="member-role" />
                        <button type="button" class="small danger" onClick=${()=>i(d)} data-testid="member-remove">${t("settings.members.remove")}<span class="sr-only"> ${d.email}</span></button>`}
                  </div>
                </li>`)}
            </ul>`:a`<${S} />`}
    </${p}>

    <${p} id="members-invite" title=${t("settings.members.invite_title")}>
      <${ge} site=${e} onInvited=${s.reload} />
    </${p}>

    <${p} id="members-pending" title=${t("settings.members.pending")}>
      ${s.data?h.length?a`<ul class="defs" data-testid="invitations">
              ${h.map(d=>a`<li class="def" key=${d.id}>
                  <div class="def-main">
                    <strong class="def-name">${d.email}</strong>
                    <span class="def-what">${t(`role.${d.role}`)} · ${t("settings.members.expires_short",{when:H.stamp(d.expires_at)})}</span>
                  </div>
                  <div class="def-actions">
                    <button type="button" class="small" onClick=${()=>$(d)} data-testid="invitation-cancel">${t("settings.members.cancel")}<span class="sr-only"> ${d.email}</span></button>
                  </div>
                </li>`)}
            </ul>`:a`<${N}>${t("settings.members.pending_none")}</${N}>`:s.error?null:a`<${S} lines=${1} />`}
    </${p}>

    ${n?a`<${O} title=${t("settings.members.remove_title",{email:n.email})} confirmLabel=${t("settings.members.remove_confirm")}
          onClose=${()=>i(null)}
          onConfirm=${async()=>{await f.members.remove(e,n.email),s.reload(),b(t("settings.members.removed",{email:n.email})),n.you&&await M()}}>
          <p>${n.you?t("settings.members.remove_you"):t("settings.members.remove_body",{site:e})}</p>
        </${O}>`:null}
  </div>`}function fe({site:e,onCreated:s}){let n=dt.value.filters,[i,r]=m({name:"",password:"",limit:!1,origins:""}),[o,c]=m(""),[l,u]=m(!1),[b,g]=m(null),h=$=>d=>r({...i,[$]:d.target.type==="checkbox"?d.target.checked:d.target.value}),v=async $=>{$.preventDefault(),u(!0),g(null);let d={site_id:e,name:i.name.trim()};i.password&&(d.password=i.password),i.limit&&n.length&&(d.filters=n);let I=st(i.origins,{commas:!0});I.length&&(d.embed_origins=I);try{let k=await f.shares.create(d);c(location.origin+k.path),r({name:"",password:"",limit:!1,origins:""}),s()}catch(k){g(k)}u(!1)};return o?a`<${G} value=${o} label=${t("settings.shares.link")} copyWhat=${t("settings.shares.copy_what")}
      warnTitle=${t("settings.shares.once_title")} warn=${t("settings.shares.once")} onDone=${()=>c("")} testid="share-link">
      <p class="hint">${t("settings.shares.send")}</p>
    </${G}>`:a`<form class="settings-form" onSubmit=${v} data-testid="share-form">
    <label>${t("settings.shares.name")}
      <input value=${i.name} onInput=${h("name")} required maxlength="120" placeholder=${t("settings.shares.name_ph")} aria-describedby="share-name-hint" data-testid="share-name" />
      <small class="hint" id="share-name-hint">${t("settings.shares.name_hint")}</small>
    </label>
    <label>${t("settings.shares.password")}
      <input type="password" value=${i.password} onInput=${h("password")} autocomplete="new-password" aria-describedby="share-pw-hint" data-testid="share-password" />
      <small class="hint" id="share-pw-hint">${t("settings.shares.password_hint")}</small>
    </label>
    <div>
      <label class="check inline"><input type="checkbox" checked=${i.limit&&n.length>0} disabled=${!n.length} onChange=${h("limit")} data-testid="share-limit" /> ${t("settings.shares.limit")}</label>
      ${n.length?a`<${at} filters=${n} label=${t("settings.shares.current")} />`:a`<p class="hint">${t("settings.shares.no_filters")}</p>`}
    </div>
    <label>${t("settings.shares.origins")}
      <textarea rows="2" value=${i.origins} onInput=${h("origins")} placeholder="https://intranet.clinique-exemple.fr" aria-describedby="share-origins-hint" data-testid="share-origins"></textarea>
      <small class="hint" id="share-origins-hint">${t("settings.shares.origins_hint")}</small>
    </label>
    <${D} error=${b} />
    <div class="actions"><button type="submit" class="primary" disabled=${l} data-testid="share-create">${l?t("settings.working"):t("settings.shares.create")}</button></div>
  </form>`}function Tt({site:e}){let s=P(()=>f.shares.list(e),[e]),[n,i]=m(null),[r,o]=L(),c=s.data?.shares||[];return a`<div class="settings-section">
    <${y} title=${t("settings.shares.title")}>${t("settings.shares.intro",{site:e})}</${y}>
    <${A} msg=${r} />

    <${p} id="shares-create" title=${t("settings.shares.create_title")}>
      <${fe} site=${e} onCreated=${s.reload} />
    </${p}>

    <${p} id="shares-list" title=${t("settings.shares.list")}>
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?c.length?a`<ul class=${s.loading?"defs stale":"defs"} data-testid="shares">
                ${c.map(l=>a`<li class="def" key=${l.id} data-id=${l.id}>
                    <div class="def-main">
                      <strong class="def-name">${l.name}</strong>
                      <span class="def-what">${t("settings.shares.created",{when:H.stamp(l.created_at)})} · ${l.password?t("settings.shares.with_password"):t("settings.shares.without_password")}</span>
                      ${l.filters?.length?a`<${at} filters=${l.filters} label=${t("settings.shares.limited_to")} />`:null}
                      ${l.embed_origins?.length?a`<span class="def-what">${t("settings.shares.embedded_in")} ${l.embed_origins.map(u=>a`<code>${u}</code> `)}</span>`:null}
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small danger" onClick=${()=>i(l)} data-testid="share-revoke">${t("settings.shares.revoke")}<span class="sr-only"> ${l.name}</span></button>
                    </div>
                  </li>`)}
              </ul>`:a`<${N}>${t("settings.shares.empty")}</${N}>`:a`<${S} />`}
    </${p}>

    ${n?a`<${O} title=${t("settings.shares.revoke_title",{name:n.name})} confirmLabel=${t("settings.shares.revoke_confirm")}
          onClose=${()=>i(null)}
          onConfirm=${async()=>{await f.shares.revoke(e,n.id),s.reload(),o(t("settings.shares.revoked",{name:n.name}))}}>
          <p>${t("settings.shares.revoke_body")}</p>
        </${O}>`:null}
  </div>`}function he(e){let s=`settings.audit.actions.${String(e).replace(/[^a-z0-9_]/gi,"_").toLowerCase()}`;return U(s)?t(s):null}function ve(e){let s=/^(.+):(viewer|editor|owner)$/.exec(e||"");return s?`${s[1]} (${t(`role.${s[2]}`)})`:e||"\u2013"}function jt({site:e}){let s=P(i=>f.audit(e,{signal:i}),[e]),n=s.data?.entries||[];return a`<div class="settings-section">
    <${y} title=${t("settings.audit.title")}>${t("settings.audit.intro")}</${y}>
    <${p} id="audit-list" title=${t("settings.audit.list")} footer=${t("settings.audit.note")}>
      ${s.error?a`<${R} error=${s.error} onRetry=${s.reload} />`:s.data?n.length?a`<div class="table-wrap"><table class="plain audit" data-testid="audit">
                <thead><tr><th scope="col">${t("settings.audit.col_at")}</th><th scope="col">${t("settings.audit.col_actor")}</th><th scope="col">${t("settings.audit.col_action")}</th><th scope="col">${t("settings.audit.col_target")}</th></tr></thead>
                <tbody>
                  ${n.map(i=>{let r=he(i.action);return a`<tr data-action=${i.action}>
                      <td class="nowrap" data-label=${t("settings.audit.col_at")}>${H.stamp(i.at)}</td>
                      <td class="wrap" data-label=${t("settings.audit.col_actor")}>${i.actor||"\u2013"}</td>
                      <td data-label=${t("settings.audit.col_action")}>${r||a`<code>${i.action}</code>`}</td>
                      <td class="wrap" data-label=${t("settings.audit.col_target")}>${ve(i.target)}</td>
                    </tr>`})}
                </tbody>
              </table></div>`:a`<${N}>${t("settings.audit.empty")}</${N}>`:a`<${S} />`}
    </${p}>
  </div>`}function Ft({site:e}){let[s,n]=m(""),[i,r]=m(!1),[o,c]=m(null),l=s.trim()===e,u=async b=>{if(b.preventDefault(),!!l){r(!0),c(null);try{await f.sites.remove(e,s.trim()),await M();let g=(J.value||[]).find(h=>h.domain!==e);lt({site:g?g.domain:null,view:"overview",filters:[],extra:{}},{keepExtra:!1})}catch(g){c(g),r(!1)}}};return a`<div class="settings-section">
    <${y} title=${t("settings.danger.title")}>${t("settings.danger.intro")}</${y}>
    <${p} id="danger-site" title=${t("settings.danger.delete_title",{site:e})}>
      <p>${t("settings.danger.what")}</p>
      <ul class="bullets">
        <li>${t("settings.danger.events")}</li>
        <li>${t("settings.danger.defs")}</li>
        <li>${t("settings.danger.access")}</li>
      </ul>
      <p class="callout-warn"><strong>${t("settings.danger.final_title")}</strong> ${t("settings.danger.final")}</p>
      <form class="settings-form" onSubmit=${u} data-testid="danger-form">
        <label>${t("settings.danger.type",{site:e})}
          <input value=${s} onInput=${b=>n(b.target.value)} autocomplete="off" spellcheck=${!1} placeholder=${e} data-testid="danger-confirm" />
        </label>
        <${D} error=${o} />
        <div class="actions"><button type="submit" class="danger strong" disabled=${!l||i} data-testid="danger-delete">${i?t("settings.working"):t("settings.danger.delete",{site:e})}</button></div>
      </form>
    </${p}>
  </div>`}var Ht={site:vt,install:_t,goals:St,groups:Ct,funnels:Et,privacy:At,members:zt,shares:Tt,keys:Lt,audit:jt,danger:Ft,new_site:ht},be=["members","shares","keys","audit","danger"];function ye(e){let s=j(e,"owner");return Object.keys(Ht).filter(n=>be.includes(n)?s:n==="new_site"?mt():!0)}var Bt=e=>ct("section",e==="site"?null:e);function Xn(){let e=rt.value,s=e.site,n=ye(s),i=n.includes(e.extra.section)?e.extra.section:"site",r=Ht[i];return a`<div class="view settings" data-testid="settings">
    <div class="settings-layout">
      <nav class="settings-nav" aria-label=${t("settings.nav.label")}>
        <ul>
          ${n.map(o=>a`<li><a href=${q("settings",o==="site"?{}:{section:o})}
              class=${o===i?"on":""} aria-current=${o===i?"page":void 0} data-testid=${"settings-nav-"+o}
              onClick=${c=>{c.metaKey||c.ctrlKey||c.shiftKey||c.button||(c.preventDefault(),Bt(o))}}>${t(`settings.nav.${o}`)}</a></li>`)}
        </ul>
      </nav>
      <label class="settings-picker">${t("settings.nav.pick")}
        <select value=${i} onChange=${o=>Bt(o.target.value)} data-testid="settings-picker">
          ${n.map(o=>a`<option value=${o}>${t(`settings.nav.${o}`)}</option>`)}
        </select>
      </label>
      <div class="settings-body" data-testid=${"settings-"+i}>
        <${r} key=${i+s} site=${s} />
      </div>
    </div>
  </div>`}export{Xn as Settings};
