// Hostile paste corpus, built from classes of attack rather than listed payloads: every way to
// run script (sinks) inside every parser trick meant to smuggle it past a sanitizer
// (contexts), every URL attribute with every obfuscation of every script-capable scheme, an
// event handler on every element, DOM clobbering, <base> and <meta http-equiv>.
// Shared by the node tests (happy-dom) and the Chromium checks (frontend/browser/).
//
// A payload that runs calls `top.__fmHit(id)`; the browser test defines that function and
// asserts it is never called. The marker may survive as text (a broken-up payload reads as
// words, e.g. `<p title="</noscript><script>x()</script>">` is a paragraph saying `x()">`),
// never in an attribute.

export const MARK = '__fmHit'
const run = id => `top.${MARK}(${id})`

// Ways to run script, each given a payload id.
const SINKS = [
  id => `<img src=x onerror="${run(id)}">`,
  id => `<img src="x" onerror=${run(id)}//>`,
  id => `<svg onload=${run(id)}>`,
  id => `<svg><animate onbegin=${run(id)} attributeName=x dur=1s></animate></svg>`,
  id => `<script>${run(id)}</script>`,
  id => `<script src="data:text/javascript,${run(id)}"></script>`,
  id => `<iframe srcdoc="<script>${run(id)}</script>"></iframe>`,
  id => `<iframe src="javascript:${run(id)}"></iframe>`,
  id => `<object data="javascript:${run(id)}"></object>`,
  id => `<embed src="javascript:${run(id)}">`,
  id => `<details open ontoggle=${run(id)}>x</details>`,
  id => `<body onload=${run(id)}>`,
  id => `<input autofocus onfocus=${run(id)}>`,
  id => `<video><source onerror=${run(id)}></video>`,
  id => `<audio src=x onerror=${run(id)}></audio>`,
  id => `<a href="javascript:${run(id)}">click</a>`,
  id => `<form action="javascript:${run(id)}"><button>go</button></form>`,
  id => `<button formaction="javascript:${run(id)}">go</button>`,
  id => `<math><maction actiontype=statusline xlink:href="javascript:${run(id)}">x</maction></math>`,
  id => `<svg><a xlink:href="javascript:${run(id)}"><text x=20 y=20>x</text></a></svg>`,
  id => `<style>@import "javascript:${run(id)}";</style>`,
  id => `<link rel=stylesheet href="javascript:${run(id)}">`,
  id => `<meta http-equiv=refresh content="0;url=javascript:${run(id)}">`,
  id => `<img src=x srcset="javascript:${run(id)} 1x" onerror=${run(id)}>`,
  id => `<marquee onstart=${run(id)}>x</marquee>`,
  id => `<div style="background:url(javascript:${run(id)})">x</div>`,
]

// Parser tricks that hide a sink from a sanitizer or bring it back on re-parse.
const CONTEXTS = [
  ['plain', s => s],
  // Namespace confusion: HTML integration points, svg/math switching, mglyph/malignmark.
  ['svg', s => `<svg>${s}</svg>`],
  ['math', s => `<math>${s}</math>`],
  ['svg-p-style', s => `<svg></p><style><a id="</style>${s}">`],
  ['svg-foreignobject', s => `<svg><foreignObject>${s}</foreignObject></svg>`],
  ['svg-desc', s => `<svg><desc><p>${s}</p></desc></svg>`],
  ['math-mtext-mglyph', s => `<math><mtext><table><mglyph><style><!--</style>${s}`],
  ['math-mi-malignmark', s => `<math><mi><malignmark><style></style>${s}</malignmark></mi></math>`],
  ['form-math-mglyph', s => `<form><math><mtext></form><form><mglyph><style></math>${s}`],
  ['math-annotation', s => `<math><annotation-xml encoding="text/html">${s}</annotation-xml></math>`],
  // Raw-text and escapable raw-text elements: text to one parser, markup to the next.
  ['noscript', s => `<noscript><p title="</noscript>${s}">`],
  ['template', s => `<template>${s}</template>`],
  ['template-nested', s => `<template><template>${s}</template></template>`],
  ['style', s => `<style><a title="</style>${s}"></style>`],
  ['title', s => `<title>${s}</title><title><a title="</title>${s}">`],
  ['textarea', s => `<textarea>${s}</textarea><textarea><a title="</textarea>${s}">`],
  ['xmp', s => `<xmp><p title="</xmp>${s}">`],
  ['listing', s => `<listing>${s}</listing>`],
  ['noembed', s => `<noembed><p title="</noembed>${s}">`],
  ['noframes', s => `<noframes><p title="</noframes>${s}">`],
  ['plaintext', s => `<p>before</p><plaintext>${s}`],
  ['iframe-text', s => `<iframe><p title="</iframe>${s}"></iframe>`],
  // Comments, CDATA and processing instructions.
  ['comment', s => `<!--${s}-->`],
  ['comment-break', s => `<!--><p>${s}</p>-->`],
  ['comment-bang', s => `<!-- a --!>${s}<!-- b -->`],
  ['comment-in-attr', s => `<p title="<!--">${s}<p title="-->"></p>`],
  ['cdata', s => `<![CDATA[><p>${s}</p>]]>`],
  ['svg-cdata', s => `<svg><![CDATA[</svg>${s}]]></svg>`],
  ['processing-instruction', s => `<?xml-stylesheet ><p>${s}</p>?>`],
  // Attribute values that turn into markup when a sanitizer serializes and re-parses.
  ['attr-breakout', s => `<p title="</p>${s.replace(/"/g, '&quot;')}">x</p>`],
  ['img-alt-breakout', s => `<img src="https://ok.example/a.png" alt="</style>${s.replace(/"/g, '&quot;')}">`],
  ['img-alt-p-breakout', s => `<img src="https://ok.example/a.png" alt="</p>${s.replace(/"/g, '&quot;')}" title="<!--">`],
  ['a-title-breakout', s => `<a href="https://ok.example/" title="</title>${s.replace(/"/g, '&quot;')}">x</a>`],
  // Tables and foster parenting move nodes around.
  ['table-foster', s => `<table><tr><td>x</td>${s}</tr></table>`],
  ['select', s => `<select><option>${s}</option></select>`],
]

// Schemes that run script or render attacker HTML, and ways to hide them.
const SCHEMES = [`javascript:${run(0)}`, `vbscript:msgbox(1)`, `data:text/html,<script>${run(0)}</script>`,
  `data:text/html;base64,PHNjcmlwdD50b3AuX19mbUhpdCgwKTwvc2NyaXB0Pg==`, `data:image/svg+xml,<svg onload=${run(0)}>`]
const OBFUSCATIONS = [
  u => u,
  u => u.toUpperCase(),
  u => u.replace(/^(\w)(\w+)/, (m, a, b) => a.toUpperCase() + b),
  u => ` \t\n${u}`,
  u => `\u0001${u}`,
  u => `\u00a0${u}`,
  u => u.replace(/^(\w{4})/, '$1\t'),
  u => u.replace(/^(\w{4})/, '$1&#x09;'),
  u => u.replace(/^(\w{4})/, '$1&#10;'),
  u => u.replace(/^(\w{4})/, '$1&NewLine;'),
  u => u.replace(/:/, '&colon;'),
  u => u.replace(/:/, '&#58;'),
  u => u.replace(/:/, '&#x3a'),
  u => u.replace(/^(\w)/, c => `&#${c.charCodeAt(0)};`),
  u => u.replace(/^(\w)/, c => `&#x${c.charCodeAt(0).toString(16)};`),
  u => u.replace(/^(\w)/, c => `&#0000${c.charCodeAt(0)}`),
  u => u.replace(/^(\w+):/, (m, s) => [...s].map(c => `&#${c.charCodeAt(0)};`).join('') + ':'),
  u => `\u200b${u}`,
  u => u.replace(/^(\w{4})/, '$1&Tab;'),
]
const URL_SLOTS = [
  u => `<a href="${u}">link</a>`,
  u => `<img src="${u}">`,
  u => `<img src="https://ok.example/a.png" srcset="${u} 1x">`,
  u => `<div data-embed data-url="${u}"><a href="${u}">x</a></div>`,
  u => `<iframe src="${u}"></iframe>`,
  u => `<form action="${u}"><input type=submit></form>`,
  u => `<svg><a href="${u}"><text>x</text></a></svg>`,
  u => `<svg><image href="${u}"/></svg>`,
  u => `<math href="${u}">x</math>`,
  u => `<table background="${u}"><tr><td>x</td></tr></table>`,
  u => `<video poster="${u}"></video>`,
  u => `<base href="${u}"><a href="/relative">r</a>`,
]

// Every element a paste may carry, each with event handlers.
const TAGS = ['a', 'abbr', 'address', 'article', 'aside', 'audio', 'b', 'bdi', 'bdo', 'blockquote', 'body', 'br',
  'button', 'canvas', 'caption', 'cite', 'code', 'col', 'data', 'dd', 'del', 'details', 'dfn', 'dialog', 'div', 'dl',
  'dt', 'em', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'i', 'img', 'input', 'ins', 'kbd', 'label', 'legend', 'li', 'main', 'mark', 'marquee', 'meter', 'nav', 'ol',
  'output', 'p', 'picture', 'pre', 'progress', 'q', 's', 'samp', 'section', 'select', 'small', 'span', 'strike',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var',
  'video', 'wbr', 'svg', 'math', 'custom-el', 'image', 'isindex', 'keygen', 'frameset', 'xss']
const EVENTS = ['onerror', 'onload', 'onclick', 'onmouseover', 'onfocus', 'onanimationstart', 'ontoggle', 'onbegin',
  'onpointerenter', 'onbeforetoggle', 'onfocusin', 'onscrollend', 'OnErRoR', 'onauxclick', 'oncontentvisibilityautostatechange']

// DOM clobbering: names that shadow document/window properties the page or a sanitizer uses.
const CLOBBER_NAMES = ['getElementById', 'attributes', 'cookie', 'body', 'location', 'defaultView', 'createElement',
  'nodeName', 'parentNode', 'removeChild', 'innerHTML', MARK, 'CONFIG', 'x']
const CLOBBERING = [
  n => `<img name="${n}" src="https://ok.example/a.png">`,
  n => `<a id="${n}" href="https://ok.example/">x</a><a id="${n}" name="href" href="javascript:${run(0)}">y</a>`,
  n => `<form id="${n}"><input name="attributes"><input id="parentNode"></form>`,
  n => `<form name="${n}"><img name="nodeName"></form>`,
  n => `<div id="${n}"><p name="${n}">x</p></div>`,
  n => `<embed name="${n}"><object id="${n}"></object>`,
  n => `<iframe name="${n}" srcdoc="<a id=${n}>"></iframe>`,
]

const HEAD_TRICKS = [
  `<base href="javascript:${run(0)}//"><a href="/x">x</a>`,
  `<base href="https://evil.example/"><a href="/x">x</a><img src="/a.png">`,
  `<base target="_blank"><a href="https://ok.example/">x</a>`,
  `<meta http-equiv="refresh" content="0; url=javascript:${run(0)}">`,
  `<meta http-equiv="refresh" content="0;URL='https://evil.example/'">`,
  `<meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'">`,
  `<meta http-equiv="set-cookie" content="sid=stolen">`,
  `<link rel="import" href="https://evil.example/x.html">`,
  `<link rel="preload" as="script" href="https://evil.example/x.js">`,
]

/**
 * Hostile payloads as [name, html]. `full`: every sink in every context and every URL
 * obfuscation in every slot (Chromium, ~2,200 payloads). Otherwise a rotation that still puts
 * every sink in six contexts, every context around six sinks and every obfuscation in a
 * slot (the node tests: jsdom takes ~10 ms a paste).
 */
export function hostilePayloads({ full = false } = {}) {
  const out = []
  let id = 1
  const pick = (list, i, n) => full ? list.map((x, j) => [x, j]) : Array.from({ length: n }, (_, k) => [list[(i + k * 5) % list.length], (i + k * 5) % list.length])
  CONTEXTS.forEach(([name, wrap], c) => {
    for (const [sink, i] of pick(SINKS, c, 6)) out.push([`${name}/sink${i}`, wrap(sink(id++))])
  })
  SCHEMES.forEach((scheme, sc) => {
    OBFUSCATIONS.forEach((ob, o) => {
      for (const [slot, s] of pick(URL_SLOTS, sc + o, 2)) out.push([`url/${scheme.slice(0, 6)}/ob${o}/slot${s}`, slot(ob(scheme))])
    })
  })
  TAGS.forEach((tag, t) => {
    const ev = EVENTS[t % EVENTS.length]
    const attrs = `${ev}=${run(id)} ${EVENTS[(t + 5) % EVENTS.length]}="${run(id)}" autofocus tabindex=1 open`
    const element = `<${tag} ${attrs}>x</${tag}>`
    // Table parts only exist inside a table; elsewhere the parser drops them itself.
    const inTable = { caption: e => `<table>${e}</table>`, col: e => `<table><colgroup>${e}</colgroup></table>`,
      tbody: e => `<table>${e}</table>`, thead: e => `<table>${e}</table>`, tfoot: e => `<table>${e}</table>`,
      tr: e => `<table>${e}</table>`, td: e => `<table><tr>${e}</tr></table>`, th: e => `<table><tr>${e}</tr></table>` }
    out.push([`handler/${tag}`, (inTable[tag] || (e => e))(element)])
    id++
  })
  CLOBBER_NAMES.forEach((n, i) => {
    for (const [c, j] of pick(CLOBBERING, i, 3)) out.push([`clobber/${n}/${j}`, c(n)])
  })
  HEAD_TRICKS.forEach((h, i) => out.push([`head/${i}`, h]))
  return out
}

// What a sanitized paste may hold, and what the editor's HTML may hold.
export const PASTE_ALLOWED = {
  tags: new Set(['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'ul', 'ol', 'li',
    'strong', 'b', 'em', 'i', 's', 'del', 'strike', 'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    'div', 'span', 'section', 'article', 'aside', 'header', 'footer', 'main', 'figure', 'figcaption', 'dl', 'dt', 'dd']),
  attrs: new Set(['href', 'src', 'alt', 'title', 'start', 'colspan', 'rowspan', 'class', 'data-embed', 'data-url']),
}
export const EDITOR_ALLOWED = {
  tags: new Set(['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'blockquote', 'pre', 'code', 'ul', 'ol', 'li', 'strong',
    'em', 's', 'a', 'img', 'div', 'span']),
  attrs: new Set(['href', 'src', 'alt', 'title', 'start', 'type', 'class', 'rel', 'target', 'data-embed', 'data-url',
    'width', 'height']),
}

// Letters only, as a browser reads a URL scheme: entities decoded (the parser did that),
// whitespace and control characters dropped.
function schemeOf(url) {
  const compact = String(url).replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u205f\u3000\ufeff]/g, '')
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(compact)
  return m ? m[1].toLowerCase() : null
}
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto'])

/** What is wrong with `html` against `allowed`: [] when it is inert. Uses the DOMParser at hand. */
export function problems(html, allowed, Parser = globalThis.DOMParser) {
  const found = []
  // Parsed as a whole document, as a paste is: <meta>/<base> land in <head>, <body onload>
  // and <frameset> on the document's own elements.
  const doc = new Parser().parseFromString(html, 'text/html')
  if (doc.head && doc.head.childNodes.length) found.push(`head content: ${doc.head.innerHTML}`)
  if (!doc.body || doc.body.localName !== 'body') found.push(`document body is ${doc.body && doc.body.localName}`)
  const walker = doc.createTreeWalker(doc, 0xffffffff)
  while (walker.nextNode()) {
    const node = walker.currentNode
    if (node.nodeType === 8) { found.push('comment'); continue }
    if (node.nodeType !== 1) continue
    const tag = node.localName
    const documentElement = node === doc.documentElement || node === doc.head || node === doc.body
    if (node.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`foreign element ${tag}`)
    if (!documentElement && !allowed.tags.has(tag)) found.push(`element ${tag}`)
    if (documentElement && node.attributes.length) found.push(`attributes on ${tag}`)
    for (const attr of Array.from(node.attributes)) {
      const name = attr.name.toLowerCase()
      if (!allowed.attrs.has(name)) found.push(`attribute ${name} on ${tag}`)
      if (attr.value.includes(MARK)) found.push(`payload in ${name} on ${tag}`)
      if (['href', 'src', 'data-url'].includes(name)) {
        const scheme = schemeOf(attr.value)
        if (scheme ? !SAFE_SCHEMES.has(scheme) : /^\s*[/\\]{2}|^\s*\/\\/.test(attr.value)) found.push(`url ${name}=${attr.value}`)
      }
    }
  }
  return found
}

/** What is wrong with the editor's Markdown: raw HTML or a script-capable URL. */
export function markdownProblems(markdown) {
  const found = []
  if (/<\/?[a-z!?]/i.test(markdown)) found.push('raw HTML in Markdown')
  const compact = markdown.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\ufeff]/g, '').toLowerCase()
  for (const scheme of ['javascript:', 'vbscript:', 'data:', 'blob:']) if (compact.includes(scheme)) found.push(`${scheme} in Markdown`)
  return found
}
