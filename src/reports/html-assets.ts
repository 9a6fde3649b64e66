/**
 * What the HTML report runs in the browser: its stylesheet and the renderer that draws the page from the
 * JSON data html.ts embeds (the data's shape is documented there). Plain ES2017 and CSS, no dependency,
 * nothing loaded from the network.
 */

/**
 * Colours meet WCAG AA contrast (dark text on light fills); every status is also a word. Focus is always
 * visible. Print: no controls, every explain text open, the whole matrix.
 */
export const CSS = `
:root{--fg:#1b1b1b;--muted:#4a4a4a;--line:#c8c8c8;--bg:#fff;--pass:#d8f0dc;--warn:#fdecc0;--fail:#f9d0cd;--unknown:#e6dcf5;--na:#eeeeee;--error:#f4b5b0;--waived:#d6e6f5;--focus:#0b57d0}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:1rem 1.5rem}
h1{font-size:1.4rem;margin:.2rem 0}
h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
.meta{color:var(--muted);margin:.2rem 0 1rem}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:2}
a,button,input,select,summary{font:inherit}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
button{cursor:pointer;border:1px solid #767676;background:#f6f6f6;color:var(--fg);border-radius:4px;padding:.15rem .5rem}
button.link{border:0;background:none;padding:0;color:#0b4fb3;text-decoration:underline;text-align:left}
.verdict{font-size:1.15rem;font-weight:700;padding:.5rem .8rem;border-radius:6px;display:inline-block;margin:.3rem 0}
.v-ready{background:var(--pass)}.v-not-ready{background:var(--fail)}.v-cannot-tell{background:var(--unknown)}.v-unreadable{background:var(--error)}
table{border-collapse:collapse;margin:.3rem 0 1rem}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
thead th{background:#f2f2f2}
caption{text-align:left;font-weight:600;padding:.2rem 0}
.findings{width:100%}
.findings td.st{white-space:nowrap;font-weight:700}
.s-p{background:var(--pass)}.s-w{background:var(--warn)}.s-f{background:var(--fail)}.s-u{background:var(--unknown)}.s-n{background:var(--na)}.s-e{background:var(--error)}.s-W{background:var(--waived)}.s--{background:#fff}
code{font:13px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f4f4f4;padding:0 .2rem;border-radius:3px;word-break:break-word}
ul.ev{margin:.3rem 0;padding-left:1.1rem}
.fix{margin:.3rem 0}
.waived{margin:.3rem 0;font-weight:600}
.note{margin:.3rem 0;color:var(--muted)}
details{margin:.3rem 0}
summary{cursor:pointer;color:#0b4fb3}
.controls{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end;margin:.6rem 0}
.controls label{display:flex;flex-direction:column;font-size:.9rem;color:var(--muted)}
.controls input,.controls select{padding:.2rem .3rem;border:1px solid #767676;border-radius:4px;color:var(--fg);background:#fff}
.matrix-wrap{overflow:auto;max-height:75vh;border:1px solid var(--line)}
.matrix{margin:0;font-size:12px}
.matrix th,.matrix td{padding:.1rem .25rem;white-space:nowrap}
.matrix thead th{position:sticky;top:0;z-index:1}
.matrix thead th.chk{writing-mode:vertical-rl;transform:rotate(180deg);height:9rem;vertical-align:bottom}
.matrix tbody th{position:sticky;left:0;background:#fff;z-index:0;font-weight:400}
.matrix td{text-align:center}
.sortbtn{border:0;background:none;padding:0;font-weight:700;color:var(--fg)}
.legend span{display:inline-block;padding:0 .4rem;margin:0 .2rem .2rem 0;border:1px solid var(--line)}
.more{margin:.5rem 0}
@media print{.controls,.skip,.more,button.back{display:none}.matrix-wrap{max-height:none;overflow:visible}details>*{display:block}body{padding:0}}
`

/**
 * The renderer (plain ES2017, no dependency): reads the data, draws one host, or the fleet's matrix with
 * filters and sorting and, on a click (or Enter) on a host, that host's findings. `#host=N` in the address
 * opens host N, so the back button and links work.
 */
export const SCRIPT = `
(function(){
"use strict";
var D=JSON.parse(document.getElementById("xenready-data").textContent),S=D.s,app=document.getElementById("app");
var WORD={p:"PASS",w:"WARN",f:"FAIL",u:"UNKNOWN",n:"N/A",e:"ERROR",W:"WAIVED","-":"not run"};
var SHORT={p:"pass",w:"warn",f:"FAIL",u:"unkn",n:"n/a",e:"ERR",W:"waived","-":"-"};
var VWORD={ready:"READY","not-ready":"NOT READY","cannot-tell":"CANNOT TELL YET",unreadable:"UNREADABLE"};
var RANK="efwuWpn-";
var PAGE=200;
function el(tag,attrs,kids){var e=document.createElement(tag);if(attrs)for(var k in attrs){if(k==="text")e.textContent=attrs[k];else if(k==="cls")e.className=attrs[k];else e.setAttribute(k,attrs[k]);}
if(kids)for(var i=0;i<kids.length;i++){var c=kids[i];if(c==null)continue;e.appendChild(typeof c==="string"?document.createTextNode(c):c);}return e;}
function str(i){return i<0?"":S[i];}
/* Text with \`code\` spans, as the reports quote commands. */
function rich(text){var out=el("span"),parts=text.split(/(\`[^\`]+\`)/);for(var i=0;i<parts.length;i++){var p=parts[i];if(!p)continue;if(p.charAt(0)==="\`"&&p.length>1&&p.charAt(p.length-1)==="\`")out.appendChild(el("code",{text:p.slice(1,-1)}));else out.appendChild(document.createTextNode(p));}return out;}
function checkOf(i){var c=D.checks[i];return {id:c[0],plugin:c[1],title:str(c[2]),description:str(c[3]),why:str(c[4]),remedy:str(c[5])};}
function hostView(h,index){
  var box=el("section",{"aria-labelledby":"host-title"});
  var title=el("h2",{id:"host-title",tabindex:"-1",text:D.fleet?h.n:"Verdict"});
  box.appendChild(title);
  if(D.fleet)box.appendChild(el("p",null,[el("button",{type:"button",cls:"back",text:"Back to the matrix"})]));
  box.appendChild(el("p",{cls:"verdict v-"+h.v,text:h.e!==undefined?"UNREADABLE: "+h.e:(h.p||VWORD[h.v])}));
  if(h.c){var c=h.c;box.appendChild(el("p",{text:c[0]+" pass, "+c[1]+" warn, "+c[2]+" fail, "+c[3]+" unknown, "+c[4]+" n/a"+(c[5]?", "+c[5]+" error":"")+(c[6]?", "+c[6]+" waived":"")}));}
  if(h.o&&h.o.length){box.appendChild(el("h3",{text:"Site policy: expired waivers"}));var ul=el("ul");h.o.forEach(function(i){ul.appendChild(el("li",{text:str(i)}));});box.appendChild(ul);}
  if(h.x&&h.x.length){box.appendChild(el("h3",{text:"Next steps"}));var ol=el("ol");h.x.forEach(function(x){var li=el("li",null,[rich(str(x[0]))]);if(x[1])li.appendChild(document.createTextNode(" ["+x[1]+"]"));ol.appendChild(li);});box.appendChild(ol);}
  if(!h.f)return box;
  var groups={},order=[];
  h.f.forEach(function(f){var p=D.checks[f[0]][1];if(!groups[p]){groups[p]=[];order.push(p);}groups[p].push(f);});
  box.appendChild(el("h3",{text:"Findings"}));
  order.forEach(function(p){
    var t=el("table",{cls:"findings"});
    t.appendChild(el("caption",{text:"Plugin "+p}));
    t.appendChild(el("thead",null,[el("tr",null,[el("th",{scope:"col",text:"Status"}),el("th",{scope:"col",text:"Check"}),el("th",{scope:"col",text:"Finding, evidence and fix"})])]));
    var tb=el("tbody");
    groups[p].forEach(function(f){
      var c=checkOf(f[0]),st=f[1].charAt(0),waived=f[1].length>1;
      var cell=el("td",null,[rich(str(f[3]))]);
      if(f[6]>=0)cell.appendChild(el("p",{cls:"waived",text:"Waived ("+WORD[st]+"): "+str(f[6])}));
      if(f[7]>=0)cell.appendChild(el("p",{cls:"note",text:str(f[7])}));
      if(f[4].length){var ev=el("ul",{cls:"ev","aria-label":"Evidence"});f[4].forEach(function(e){ev.appendChild(el("li",null,[el("code",{text:str(e[0])+(e[1]>0?":"+e[1]:"")}),str(e[2])?" "+str(e[2]):""]));});cell.appendChild(ev);}
      if(f[5]>=0)cell.appendChild(el("p",{cls:"fix"},[el("strong",{text:"Fix: "}),rich(str(f[5]))]));
      if(c.description){var d=el("details",null,[el("summary",{text:"Explain "+c.id}),el("p",{text:c.description}),el("p",null,[el("strong",{text:"Why it matters: "}),c.why]),el("p",null,[el("strong",{text:"How to fix a failure: "}),rich(c.remedy)])]);cell.appendChild(d);}
      var letter=waived?"W":st;
      tb.appendChild(el("tr",null,[el("td",{cls:"st s-"+letter,text:waived?"WAIVED ("+WORD[st]+")":WORD[st]}),el("th",{scope:"row"},[el("code",{text:c.id+(f[2]>=0?" ["+str(f[2])+"]":"")})]),cell]));
    });
    t.appendChild(tb);box.appendChild(t);
  });
  return box;
}
if(!D.fleet){app.appendChild(hostView(D.hosts[0],0));return;}
/* The fleet. */
var hosts=D.hosts.map(function(h,i){h.i=i;return h;});
var plugins=[];D.checks.forEach(function(c){if(plugins.indexOf(c[1])<0)plugins.push(c[1]);});
var state={q:"",status:"",verdict:"",plugin:"",sort:"n",dir:1,shown:PAGE};
var list=el("div"),detail=el("div");
var count=el("p",{"aria-live":"polite"});
function field(label,control){return el("label",null,[label,control]);}
var q=el("input",{type:"search",placeholder:"web*, db-01",id:"f-host"});
var sStatus=el("select",{id:"f-status"});[["","any"],["f","has a failure"],["w","has a warning"],["u","has an unknown"],["e","has an error"],["W","has a waiver"]].forEach(function(o){sStatus.appendChild(el("option",{value:o[0],text:o[1]}));});
var sVerdict=el("select",{id:"f-verdict"});[["","any"],["ready","ready"],["not-ready","not ready"],["cannot-tell","cannot tell yet"],["unreadable","unreadable"]].forEach(function(o){sVerdict.appendChild(el("option",{value:o[0],text:o[1]}));});
var sPlugin=el("select",{id:"f-plugin"});sPlugin.appendChild(el("option",{value:"",text:"all"}));plugins.forEach(function(p){sPlugin.appendChild(el("option",{value:p,text:p}));});
var controls=el("form",{cls:"controls",role:"search","aria-label":"Filter the hosts"},[field("Host name",q),field("Status",sStatus),field("Verdict",sVerdict),field("Checks of plugin",sPlugin)]);
controls.addEventListener("submit",function(e){e.preventDefault();});
function globRe(text){var t=text.trim();if(!t)return null;var re="";for(var i=0;i<t.length;i++){var ch=t.charAt(i);re+=ch==="*"?".*":ch==="?"?".":ch.replace(/[.+^$(){}|[\\]\\\\\\/-]/g,"\\\\$&");}return new RegExp(t.indexOf("*")<0&&t.indexOf("?")<0?re:"^"+re+"$","i");}
function visibleChecks(){var out=[];D.checks.forEach(function(c,i){if(!state.plugin||c[1]===state.plugin)out.push(i);});return out;}
function matches(h,re,cols){
  if(re&&!re.test(h.n)&&!re.test(h.n.split("/").pop()))return false;
  if(state.verdict&&h.v!==state.verdict)return false;
  if(state.status){if(!h.m)return false;var hit=false;for(var i=0;i<cols.length;i++)if(h.m.charAt(cols[i])===state.status){hit=true;break;}if(!hit)return false;}
  return true;
}
var VRANK={"not-ready":0,unreadable:1,"cannot-tell":2,ready:3};
function sorter(){var k=state.sort,d=state.dir;return function(a,b){var x,y;
  if(k==="n"){x=a.n;y=b.n;return (x<y?-1:x>y?1:0)*d;}
  if(k==="v"){x=VRANK[a.v];y=VRANK[b.v];}else{x=RANK.indexOf(a.m?a.m.charAt(k):"-");y=RANK.indexOf(b.m?b.m.charAt(k):"-");}
  return ((x-y)||(a.i-b.i))*d;};}
function sortHeader(label,key,attrs){
  var th=el("th",attrs||{scope:"col"}),b=el("button",{type:"button",cls:"sortbtn",text:label});
  th.setAttribute("aria-sort",state.sort===key?(state.dir>0?"ascending":"descending"):"none");
  b.addEventListener("click",function(){if(state.sort===key)state.dir=-state.dir;else{state.sort=key;state.dir=1;}draw();});
  th.appendChild(b);return th;}
function draw(){
  var re=globRe(state.q),cols=visibleChecks();
  var rows=hosts.filter(function(h){return matches(h,re,cols);}).sort(sorter());
  count.textContent=rows.length+" of "+hosts.length+" hosts shown"+(rows.length>state.shown?" (the first "+state.shown+" drawn)":"");
  var t=el("table",{cls:"matrix",id:"matrix"});
  t.appendChild(el("caption",{text:"Hosts by check: each cell is the check's status on that host"}));
  var head=el("tr",null,[sortHeader("Host","n"),sortHeader("Verdict","v")]);
  cols.forEach(function(ci){var c=D.checks[ci];var th=sortHeader(c[0],ci,{scope:"col",cls:"chk",title:str(c[2])});head.appendChild(th);});
  t.appendChild(el("thead",null,[head]));
  var tb=el("tbody");
  rows.slice(0,state.shown).forEach(function(h){
    var open=el("button",{type:"button",cls:"link","data-host":String(h.i),text:h.n});
    var tr=el("tr",null,[el("th",{scope:"row"},[open]),el("td",{cls:"v-"+h.v,text:VWORD[h.v]})]);
    cols.forEach(function(ci){var l=h.m?h.m.charAt(ci):"-";tr.appendChild(el("td",{cls:"s-"+l,title:D.checks[ci][0]+": "+WORD[l],text:SHORT[l]}));});
    tb.appendChild(tr);
  });
  t.appendChild(tb);
  list.textContent="";
  list.appendChild(count);
  list.appendChild(el("div",{cls:"matrix-wrap"},[t]));
  if(rows.length>state.shown){var more=el("button",{type:"button",cls:"more",text:"Show "+Math.min(PAGE,rows.length-state.shown)+" more hosts"});more.addEventListener("click",function(){state.shown+=PAGE;draw();});list.appendChild(more);}
}
function showHost(i){var h=hosts[i];detail.textContent="";if(!h){detail.hidden=true;list.hidden=false;controls.hidden=false;return;}
  var v=hostView(h,i);detail.appendChild(v);detail.hidden=false;list.hidden=true;controls.hidden=true;
  var back=v.querySelector("button.back");back.addEventListener("click",function(){history.pushState(null,"",location.pathname+location.search);route();});
  document.getElementById("host-title").focus();}
function route(){var m=/^#host=(\\d+)$/.exec(location.hash);if(m)showHost(Number(m[1]));else{showHost(-1);}}
var legend=el("p",{cls:"legend"},["Statuses: "].concat("pfwuenW".split("").map(function(l){return el("span",{cls:"s-"+l,text:SHORT[l]+" = "+WORD[l]});})));
app.appendChild(el("p",{cls:"summary",text:D.summary}));
app.appendChild(legend);
app.appendChild(controls);
app.appendChild(list);
app.appendChild(detail);
var timer=0;
q.addEventListener("input",function(){clearTimeout(timer);timer=setTimeout(function(){state.q=q.value;state.shown=PAGE;draw();},80);});
sStatus.addEventListener("change",function(){state.status=sStatus.value;state.shown=PAGE;draw();});
sVerdict.addEventListener("change",function(){state.verdict=sVerdict.value;state.shown=PAGE;draw();});
sPlugin.addEventListener("change",function(){state.plugin=sPlugin.value;draw();});
list.addEventListener("click",function(e){var b=e.target.closest&&e.target.closest("button[data-host]");if(b){location.hash="host="+b.getAttribute("data-host");}});
window.addEventListener("hashchange",route);
window.addEventListener("beforeprint",function(){var d=document.querySelectorAll("details");for(var i=0;i<d.length;i++)d[i].open=true;});
draw();route();
})();
`
