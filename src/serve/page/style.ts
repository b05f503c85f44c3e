/** The page's stylesheet (inline, allowed by its hash). Colours follow the HTML view's. */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--rule:#d1d9e0;--field:#f6f8fa;--accent:#0969da;--accent-fg:#fff;--error:#cf222e;--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--rule:#3d444d;--field:#151b23;--accent:#1f6feb;--accent-fg:#fff;--error:#f85149;--focus:#4493f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
header,main{max-width:84rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.35rem;margin:0}
h1 span{color:var(--muted);font-weight:400}
h2{font-size:1.1rem;margin:0}
.meta,.hint{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
form{margin-top:1rem;display:grid;gap:.6rem}
label{font-weight:600}
textarea{width:100%;min-height:12rem;resize:vertical;padding:.6rem;font:inherit;color:inherit;background:var(--field);border:1px solid var(--rule);border-radius:6px}
form.dragging textarea{border-color:var(--accent);border-style:dashed}
input[type=password]{font:inherit;padding:.35rem .5rem;color:inherit;background:var(--field);border:1px solid var(--rule);border-radius:6px;max-width:100%}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}
.file{font-weight:400}
.file input{font:inherit;max-width:100%}
#count{color:var(--muted);font-size:.875rem;font-variant-numeric:tabular-nums}
#count.over{color:var(--error);font-weight:600}
button{font:inherit;padding:.4rem .9rem;border-radius:6px;border:1px solid var(--rule);background:var(--field);color:inherit;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg);font-weight:600}
button:disabled{opacity:.6;cursor:default}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
#status{display:flex;align-items:center;gap:.75rem;min-height:1.5rem;margin:.75rem 0;font-size:.9rem}
progress{width:min(20rem,50%)}
#error{color:var(--error);font-weight:600;margin:.5rem 0}
#result{margin:1rem 0 2rem;display:grid;gap:.6rem}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
legend{float:left;margin-right:.75rem;font-weight:600}
fieldset label{font-weight:400;display:inline-flex;align-items:center;gap:.3rem}
.downloads{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.downloads span{font-weight:600;margin-right:.25rem}
#view{width:100%;height:max(24rem,70vh);border:1px solid var(--rule);border-radius:6px;background:var(--bg)}
#english{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--rule);border-radius:6px;padding:1rem;max-height:max(24rem,70vh);overflow:auto}
[hidden]{display:none!important}
@media (max-width:40rem){header,main{padding:0 .6rem}textarea{min-height:9rem}#view{height:75vh}}
`.trim();
