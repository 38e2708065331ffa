// The console's stylesheet and its one small script (copy buttons, countdowns, confirmations,
// forms that update the page in place): inline, so there is no front-end build.

export const CONSOLE_CSS = `
:root{--ink:#1b1f24;--muted:#4b5563;--line:#d0d7de;--bg:#f6f8fa;--brand:#0b57d0;--ok:#067647;--okbg:#ecfdf3;--warn:#935f00;--warnbg:#fffaeb;--bad:#b42318;--badbg:#fef3f2;--focus:#f59e0b}
*{box-sizing:border-box}
html{font-size:18px}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:var(--ink);background:#fff}
a{color:var(--brand)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem 1rem;z-index:10}
.banner{background:#1b1f24;color:#fff;padding:.5rem 1.5rem;display:flex;gap:1rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
.banner strong{font-size:1.1rem}.banner .who{font-size:.9rem;opacity:.9}.banner form{display:inline}
.banner button{background:transparent;color:#fff;border:1px solid #fff6;padding:.2rem .6rem;font-size:.85rem}
.training{background:#fff4d6;color:#5c3d00;padding:.35rem 1.5rem;font-size:.9rem;border-bottom:1px solid #f2d48b}
.shell{display:grid;grid-template-columns:15.5rem 1fr;min-height:calc(100vh - 5rem)}
nav.plan{background:var(--bg);border-right:1px solid var(--line);padding:1rem .75rem}
nav.plan h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:1rem .5rem .4rem}
nav.plan ol,nav.plan ul{list-style:none;margin:0;padding:0}
nav.plan a{display:block;padding:.4rem .6rem;border-radius:.4rem;text-decoration:none;color:var(--ink)}
nav.plan a:hover{background:#e6ebf1}
nav.plan a[aria-current=page]{background:var(--brand);color:#fff;font-weight:600}
nav.plan .n{display:inline-block;width:1.6rem;color:inherit}
nav.plan a[aria-current=page] .n{color:#fff}
main{padding:1.25rem 2rem 3rem;max-width:72rem;min-width:0}
h1{font-size:1.75rem;margin:.2rem 0 .4rem}h2{font-size:1.3rem;margin:1.8rem 0 .6rem}h3{font-size:1.1rem;margin:1.2rem 0 .4rem}
.lead{color:var(--muted);margin-top:0;max-width:60rem}
section.card{border:1px solid var(--line);border-radius:.6rem;padding:1rem 1.25rem;margin:1rem 0;background:#fff}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-size:.9rem}
td.num{text-align:right}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
code{background:#eef1f4;padding:.1em .3em;border-radius:.25em;word-break:break-all}
label{font-weight:600;display:block;margin:.5rem 0 .2rem}
label.inline{display:inline-flex;gap:.4rem;align-items:center;font-weight:400;margin:.2rem 1rem .2rem 0}
td select{min-width:0}
input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],select,textarea{font:inherit;padding:.4rem .55rem;border:1px solid #8c959f;border-radius:.35rem;min-width:18rem;max-width:100%}
textarea{width:100%;min-height:6rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
button,.button{font:inherit;font-weight:600;padding:.4rem .9rem;border-radius:.4rem;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
button.small,.button.small{padding:.15rem .55rem;font-size:.85rem}
.row{display:flex;gap:.75rem;align-items:flex-end;flex-wrap:wrap}
.row>div{display:flex;flex-direction:column}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.actions form{display:inline}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:700;border:1px solid currentColor;white-space:nowrap}
.b-ok,.b-pass,.b-verified,.b-active,.b-scim{color:var(--ok);background:var(--okbg)}
.b-warn,.b-pending,.b-pending_invite,.b-local,.b-invite{color:var(--warn);background:var(--warnbg)}
.b-fail,.b-expired,.b-deactivated,.b-revoked,.b-error{color:var(--bad);background:var(--badbg)}
.b-auto,.b-info{color:#3b3b98;background:#eef0ff}
.notice{border-left:.35rem solid var(--brand);background:#eef4ff;padding:.7rem 1rem;margin:1rem 0;border-radius:.25rem}
.notice.ok{border-color:var(--ok);background:var(--okbg)}
.notice.warn{border-color:#dc8b00;background:var(--warnbg)}
.notice.error{border-color:var(--bad);background:var(--badbg)}
.notice p{margin:.25rem 0}.notice ul{margin:.25rem 0}
.secret{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.secret code{font-size:1rem;padding:.3rem .5rem}
.muted{color:var(--muted)}
.checklist{list-style:none;padding:0}
.checklist li{display:grid;grid-template-columns:5rem 1fr auto;gap:1rem;align-items:start;padding:.7rem .5rem;border-bottom:1px solid var(--line)}
.matrix td,.matrix th{text-align:center}.matrix td:first-child,.matrix th:first-child{text-align:left}
.yes{color:var(--ok);font-weight:700}.no{color:var(--muted)}.small-text{font-size:.85rem}.bad-text{color:var(--bad);font-weight:700}
label.perm-choice{align-items:flex-start}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
details.dev{font-size:.85rem;color:var(--muted)}details.dev summary{font-weight:400}
details.fold>summary{font-size:1.15rem;padding:.2rem 0}
details.card-fold{border:1px solid var(--line);border-radius:.6rem;padding:.6rem 1.25rem;margin:1rem 0}
.banner-ok{border-left:.5rem solid var(--ok);background:var(--okbg);padding:.8rem 1.1rem;margin:1rem 0;border-radius:.3rem;font-size:1.1rem}
.legend{font-size:.9rem;color:var(--muted)}
.b-expected{color:#3b3b98;background:#eef0ff}
.state{font-size:.9rem;color:var(--muted);margin:.2rem 0 0}
.steps{list-style:none;padding:0;counter-reset:s}
.steps li{padding:.4rem .6rem;border-bottom:1px solid var(--line);display:grid;grid-template-columns:11rem 1fr;gap:.75rem}
.steps li>div{min-width:0;overflow-wrap:anywhere}
.steps li.current{background:#eef4ff;outline:2px solid var(--brand)}
#event-list li{font-size:.9rem;border-bottom:1px solid var(--line);padding:.35rem 0;list-style:none}
#event-list{padding:0;max-height:60vh;overflow:auto}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:900px){.shell{grid-template-columns:1fr}.grid2{grid-template-columns:1fr}}
`;

export const CONSOLE_JS = `
(function(){
  function copy(text, btn){
    function done(){ var t = btn.textContent; btn.textContent = 'Copied'; setTimeout(function(){ btn.textContent = t; }, 1500); }
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, fallback); } else { fallback(); }
    function fallback(){ var ta = document.createElement('textarea'); ta.value = text; document.body.appendChild(ta); ta.select(); try { document.execCommand('copy'); done(); } catch (e) {} ta.remove(); }
  }
  document.addEventListener('click', function(e){
    var btn = e.target.closest && e.target.closest('[data-copy]');
    if (btn) { e.preventDefault(); copy(btn.getAttribute('data-copy'), btn); }
  });
  document.addEventListener('submit', function(e){
    var f = e.target; var q = f.getAttribute('data-confirm');
    if (q && !window.confirm(q)) { e.preventDefault(); return; }
    if (f.hasAttribute('data-inplace') && window.fetch && window.DOMParser) {
      e.preventDefault();
      var btns = f.querySelectorAll('button'); btns.forEach(function(b){ b.disabled = true; });
      var body = new URLSearchParams(new FormData(f, e.submitter || undefined));
      fetch(f.action, { method: 'POST', body: body, credentials: 'same-origin' }).then(function(r){ return r.text(); }).then(function(html){
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('main'); var main = document.querySelector('main');
        if (fresh && main) { main.innerHTML = fresh.innerHTML; var h = main.querySelector('[data-focus]') || main.querySelector('h1'); if (h) { h.setAttribute('tabindex','-1'); h.focus(); } }
        else { location.reload(); }
      }, function(){ f.submit(); });
    }
  });
  function tick(){
    document.querySelectorAll('[data-expires]').forEach(function(el){
      var left = Number(el.getAttribute('data-expires')) - (Date.now() - START);
      if (left <= 0) { el.textContent = 'expired (reload to see it)'; return; }
      var d = Math.floor(left / 86400000), h = Math.floor(left % 86400000 / 3600000), m = Math.floor(left % 3600000 / 60000), s = Math.floor(left % 60000 / 1000);
      el.textContent = (d ? d + ' d ' : '') + h + ' h ' + m + ' min ' + s + ' s';
    });
  }
  var START = Date.now(); tick(); setInterval(tick, 1000);
})();
`;
