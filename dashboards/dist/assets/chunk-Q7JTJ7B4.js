import{H as m,b as e,c as r,d as f,e as s,m as i}from"./chunk-IA5JBKF2.js";var C=0;function M({title:$,confirmLabel:b,onConfirm:y,onClose:g,children:p,danger:h=!0,Problem:v=m,afterConfirm:n}){let t=s(),[o]=r(()=>`confirm-${++C}`),[a,c]=r(!1),[l,u]=r(null),d=s(!1);f(()=>{t.current?.showModal?.()},[]);let w=()=>{g(),d.current&&n&&setTimeout(n,0)},E=async S=>{S.preventDefault(),c(!0),u(null);try{await y(),d.current=!0,t.current?.close()}catch(k){u(k),c(!1)}};return e`<dialog ref=${t} class="dialog" onClose=${w} aria-labelledby=${o+"-t"} aria-describedby=${o+"-d"} data-testid="confirm">
    <form onSubmit=${E}>
      <h2 id=${o+"-t"}>${$}</h2>
      <div id=${o+"-d"} class="dialog-body">${p}</div>
      ${l?e`<${v} error=${l} />`:null}
      <div class="dialog-actions">
        <button type="button" class="ghost" autofocus onClick=${()=>t.current?.close()}>${i("action.cancel")}</button>
        <button type="submit" class=${h?"danger":"primary"} disabled=${a}>${a?i("action.working"):b}</button>
      </div>
    </form>
  </dialog>`}export{M as a};
