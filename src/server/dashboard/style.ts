/** The dashboard's stylesheet (served as a file: the CSP allows no style element). Contrast AA throughout. */
export const DASHBOARD_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1d2330;background:#f6f7f9}
header{background:#1f2933;color:#fff;padding:8px 24px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;margin-right:8px}
header nav ul{list-style:none;display:flex;gap:4px;margin:0;padding:0;flex-wrap:wrap}
header nav a{display:block;padding:6px 10px;border-radius:6px}
header nav a[aria-current=page]{background:#3e4c59;font-weight:600}
header nav a:hover,header nav a:focus-visible{background:#323f4b}
header form{margin-left:auto}
button{font:inherit;padding:6px 12px;border-radius:6px;border:1px solid #3e4c59;background:#fff;color:#1d2330;cursor:pointer}
header button{background:#1f2933;color:#fff;border-color:#9aa5b1}
main{max-width:1120px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 2px}h2{font-size:17px;margin:24px 0 8px}
.question{font-size:16px;margin:0 0 2px}.muted{color:#52606d}
.options{display:flex;gap:12px;flex-wrap:wrap;align-items:end;background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:8px 12px;margin:10px 0}
.options label{display:flex;flex-direction:column;font-size:13px;color:#3e4c59}
.options input,.options select{font:inherit;padding:4px 6px;border:1px solid #9aa5b1;border-radius:4px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:12px 0}
.kpi{background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:10px 12px;border-top:4px solid #9aa5b1}
.kpi.up{border-top-color:#2f8a4f}.kpi.down{border-top-color:#b83232}
.kpi .label{font-size:13px;color:#3e4c59}.kpi .value{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.kpi .change{font-size:13px;color:#3e4c59}
section{background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:4px 16px 12px;margin:12px 0;overflow-x:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;margin-top:8px}
.chart{height:340px;border:1px solid #e3e6ee;border-radius:8px;padding:8px;background:#fff}
.warn{background:#fff6e0;border-left:4px solid #b07800;padding:6px 10px;margin:6px 0}
.problem{background:#fdecec;border-left:4px solid #b83232;padding:6px 10px}
.done{background:#e8f5ec;border-left:4px solid #2f8a4f;padding:6px 10px}
.verdict{font-weight:600}
table{border-collapse:collapse;margin:6px 0 12px}caption{text-align:left;font-weight:600;padding:4px 0}
td,th{padding:4px 12px;text-align:left;border-bottom:1px solid #e3e6ee}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:13px}
.sign-in main{max-width:460px;margin:10vh auto;background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:16px 24px}
.sign-in form{display:flex;flex-direction:column;gap:8px}.sign-in input{font:inherit;padding:6px 8px;border:1px solid #7b8794;border-radius:4px}
`;
