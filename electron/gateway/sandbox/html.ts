/** HTML building blocks of the sandbox pages: escaping and one self-contained page layout. */

export function esc(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const BASE_CSS = `
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2933;background:#f5f7fa}
main,.page{max-width:420px;margin:0 auto;padding:12px}
main.wide{max-width:760px}
h1{font-size:16px;margin:0 0 8px}
h2{font-size:14px;margin:0 0 4px}
p{margin:4px 0}
.banner{display:flex;align-items:center;gap:6px;background:#fff4e5;color:#8a4b00;border:1px solid #f5c27a;border-radius:6px;padding:4px 8px;font-size:12px;font-weight:600;letter-spacing:.02em;margin-bottom:10px}
.panel{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px}
.field{margin-bottom:8px;flex:1}
.row{display:flex;gap:8px}
label{display:block;font-size:12px;font-weight:600;color:#486581;margin-bottom:2px}
input[type=text],input[type=password]{width:100%;font:inherit;font-size:15px;padding:7px 9px;border:1px solid #bcccdc;border-radius:6px;background:#fff;color:inherit}
input:focus,button:focus,summary:focus,a:focus{outline:2px solid #2f80ed;outline-offset:1px}
input[aria-invalid=true]{border-color:#d64545;background:#fff5f5}
.error{color:#c62828;font-size:12px;margin:2px 0 0;min-height:0}
.check{display:flex;align-items:center;gap:6px;font-weight:500;color:#1f2933;font-size:13px;margin:2px 0 10px}
button{font:inherit;font-weight:600;border:0;border-radius:6px;padding:9px 14px;cursor:pointer}
.primary{width:100%;background:#1f6feb;color:#fff}
.primary:hover{background:#1858c4}
.secondary{background:#e4e7eb;color:#1f2933}
.danger{background:#c62828;color:#fff}
.actions{display:flex;gap:8px;margin-top:12px}
.actions form{flex:1}.actions button{width:100%}
details{margin-top:8px;font-size:12px;color:#486581}
summary{cursor:pointer;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:12px;margin-top:4px}
th,td{text-align:start;padding:3px 4px;border-bottom:1px solid #e4e7eb;vertical-align:top}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.muted{color:#486581;font-size:12px}
.state{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;background:#e4e7eb}
.state-confirmed{background:#e3f9e5;color:#1b5e20}.state-refused,.state-failed,.state-expired{background:#ffe3e3;color:#8a1c1c}
.email{margin-bottom:8px}
.disclaimer{background:#f0f4f8;border-radius:6px;padding:8px;margin:8px 0}
`;

/**
 * One page. `framed`: shown inside the merchant's frame (the hosted card page), whose own <main>
 * already holds the frame: a second main landmark there would be a duplicate, so a plain <div>.
 */
export function page(title: string, body: string, opts: { wide?: boolean; framed?: boolean; scripts?: string[]; lang?: 'en' | 'ar' } = {}): string {
  const scripts = (opts.scripts ?? []).map((src) => `<script src="${esc(src)}"></script>`).join('');
  const root = opts.framed ? `<div class="page">${body}</div>` : `<main${opts.wide ? ' class="wide"' : ''}>${body}</main>`;
  return `<!doctype html>
<html lang="${opts.lang ?? 'en'}" dir="${opts.lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${BASE_CSS}</style></head>
<body>${root}${scripts}</body></html>`;
}

export const SANDBOX_BANNER = '<div class="banner" role="note" data-testid="sandbox-banner">SANDBOX — test cards only</div>';

/** The banner in the page's language (the hosted card page speaks APS's `language`). */
export function sandboxBanner(text: string): string {
  return `<div class="banner" role="note" data-testid="sandbox-banner">${esc(text)}</div>`;
}
