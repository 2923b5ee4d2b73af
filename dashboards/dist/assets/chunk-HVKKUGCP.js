var c=t=>{let e=t==null?"":String(t);return/^[=+\-@\t\r]/.test(e)&&(e="'"+e),/[",\n;]/.test(e)?`"${e.replace(/"/g,'""')}"`:e};function l(t,e){return[t,...e].map(o=>o.map(c).join(",")).join(`\r
`)+`\r
`}function a(t,e,o){let r=new Blob(["\uFEFF"+l(e,o)],{type:"text/csv;charset=utf-8"}),n=document.createElement("a");n.href=URL.createObjectURL(r),n.download=t,document.body.append(n),n.click(),n.remove(),setTimeout(()=>URL.revokeObjectURL(n.href),1e3)}export{a};
