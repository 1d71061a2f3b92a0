// Pasted HTML sanitizer, in two layers before ProseMirror parses the paste:
// 1. DOMPurify, with an allow-list of what the editor can hold. It parses the paste in an
//    inert document and does what a hand-written walk does not: namespace checks (svg/math
//    confusion), mXSS re-parse checks, DOM-clobbering checks, URL attributes compared with
//    whitespace and control characters removed.
// 2. The editor's own rules on DOMPurify's DOM: hidden text and tracking pixels out, data:
//    images reported, only the attributes the schema reads, only http(s)/mailto/path URLs.
// The editor schema then drops whatever it has no node or mark for.
import DOMPurify from 'dompurify'

// Elements the editor has a node or mark for, plus the block containers whose boundaries
// keep pasted paragraphs apart (their tags go; ProseMirror keeps their children as blocks).
const PURIFY_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
  'ul', 'ol', 'li', 'strong', 'b', 'em', 'i', 's', 'del', 'strike', 'a', 'img',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'div', 'span', 'section', 'article', 'aside', 'header', 'footer', 'main', 'figure', 'figcaption',
  'dl', 'dt', 'dd',
]
// The schema's attributes, and the ones step 2 reads to find hidden text and tracking
// pixels (style, hidden, aria-hidden, width, height); step 2 removes those.
const PURIFY_ATTRS = [
  'href', 'src', 'alt', 'title', 'start', 'colspan', 'rowspan', 'class', 'data-embed', 'data-url',
  'style', 'hidden', 'aria-hidden', 'width', 'height',
]
// Form controls and raw-text elements go with their text: it was never meant as prose.
const PURIFY_FORBID_CONTENTS = ['textarea', 'select', 'option', 'optgroup', 'button', 'datalist', 'output', 'listing']
// DOMPurify compares every non-URI-safe attribute value with this, whitespace and control
// characters removed: http(s)/mailto or no scheme at all (numbers, relative paths).
const PURIFY_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i
// A pasted image that is not at a URL: left out, and reported so the editor can say so.
const INLINE_IMAGE = /^[\u0000-\u0020]*(data|blob):/i

const PURIFY_CONFIG = {
  ALLOWED_TAGS: PURIFY_TAGS,
  ALLOWED_ATTR: PURIFY_ATTRS,
  ADD_FORBID_CONTENTS: PURIFY_FORBID_CONTENTS,
  ALLOWED_URI_REGEXP: PURIFY_URI,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_XML: true,
  SANITIZE_DOM: true,
  KEEP_CONTENT: true,
  RETURN_DOM: true,
}

// Defence in depth: DOMPurify's allow-list already keeps all of these out.
const DROP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed',
  'applet', 'form', 'input', 'button', 'select', 'option', 'textarea', 'label', 'fieldset',
  'link', 'meta', 'base', 'title', 'head', 'svg', 'math', 'canvas', 'video', 'audio',
  'source', 'track', 'picture', 'map', 'area', 'dialog', 'xmp', 'listing', 'noembed', 'noframes', 'plaintext',
])
// The attributes the schema reads, per element.
const KEEP_ATTRS = {
  a: new Set(['href', 'title']),
  img: new Set(['src', 'alt', 'title']),
  ol: new Set(['start']),
  th: new Set(['colspan', 'rowspan']),
  td: new Set(['colspan', 'rowspan']),
  code: new Set(['class']),
  div: new Set(['data-embed', 'data-url']),
}
const NO_ATTRS = new Set()
// Markup in an alt or title is an attempt to break out of the attribute on some re-parse:
// no real caption holds a tag, and the editor would carry it into the Markdown.
const MARKUP = /<[a-z/!?]/i
// http(s), mailto, a same-site path (not `//host` nor `/\host`, which browsers read as a
// host), or a fragment.
const SAFE_URL = /^(https?:|mailto:|\/(?![/\\])|#)/i
// Structure beyond plain paragraphs and links: the paste is "rich".
const RICH = 'strong,b,em,i,u,s,del,strike,code,pre,h1,h2,h3,h4,h5,h6,ul,ol,li,blockquote,img,hr,table'

function isHidden(el) {
  if (el.hasAttribute('hidden')) return true
  if ((el.getAttribute('aria-hidden') || '') === 'true') return true
  const style = (el.getAttribute('style') || '').toLowerCase().replace(/\s+/g, '')
  return /(^|;)display:none/.test(style) || /(^|;)visibility:(hidden|collapse)/.test(style) ||
    /(^|;)opacity:0(;|$|\.0*(;|$))/.test(style) || /(^|;)(font-size|max-height|height):0(px)?(;|$)/.test(style)
}

function pixelSize(el, name) {
  const attr = el.getAttribute(name)
  if (attr != null && /^\s*\d+(\.\d+)?\s*(px)?\s*$/i.test(attr)) return parseFloat(attr)
  const m = (el.getAttribute('style') || '').match(new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*(\\d+(?:\\.\\d+)?)px`, 'i'))
  return m ? parseFloat(m[1]) : null
}

function isTracker(img) {
  const w = pixelSize(img, 'width')
  const h = pixelSize(img, 'height')
  return (w != null && w <= 2) || (h != null && h <= 2)
}

// One DOMPurify instance per window (the page's in the browser, a test DOM's in node). Its
// hook notes inline images in `report`, which sanitizePastedHTML resets before each run.
const report = { droppedDataImages: false }
const purifiers = new WeakMap()
function purifierFor(win) {
  let purifier = purifiers.get(win)
  if (!purifier) {
    purifier = DOMPurify(win)
    if (!purifier.isSupported) throw new Error('DOMPurify cannot run in this window')
    purifier.addHook('uponSanitizeAttribute', (node, data) => {
      if (node.nodeName === 'IMG' && data.attrName === 'src' && INLINE_IMAGE.test(data.attrValue)) {
        report.droppedDataImages = true
        data.keepAttr = false
      }
    })
    purifiers.set(win, purifier)
  }
  return purifier
}

/**
 * sanitizePastedHTML(html) -> { html, droppedDataImages, rich }
 * droppedDataImages: an <img src="data:..."> (or blob:) was left out.
 * rich: the paste carries more than paragraphs and links.
 */
export function sanitizePastedHTML(html, win = globalThis.window) {
  report.droppedDataImages = false
  const body = purifierFor(win).sanitize(String(html || ''), PURIFY_CONFIG)
  let droppedDataImages = report.droppedDataImages
  if (!body) return { html: '', droppedDataImages, rich: false }

  for (const el of Array.from(body.querySelectorAll('*'))) {
    if (!body.contains(el)) continue // inside an element removed above
    const tag = el.tagName.toLowerCase()
    if (DROP.has(tag) || isHidden(el)) { el.remove(); continue }
    if (tag === 'img') {
      const src = (el.getAttribute('src') || '').trim()
      if (/^(data|blob):/i.test(src)) { droppedDataImages = true; el.remove(); continue }
      if (!src || !SAFE_URL.test(src) || isTracker(el)) { el.remove(); continue }
    }
    const keep = KEEP_ATTRS[tag] || NO_ATTRS
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase()
      if (!keep.has(name) ||
          ((name === 'href' || name === 'src' || name === 'data-url') && !SAFE_URL.test(attr.value.trim())) ||
          ((name === 'alt' || name === 'title') && MARKUP.test(attr.value))) {
        el.removeAttribute(attr.name)
      }
    }
  }
  // Google Docs wraps a whole paste in <b style="font-weight:normal" id="docs-internal-guid-…">;
  // its style is gone by now, but it must not make the paste "rich" nor bold.
  for (const b of Array.from(body.querySelectorAll('b'))) {
    if (b.parentElement === body && b.querySelector('p,div,h1,h2,h3,h4,h5,h6,ul,ol,blockquote,pre')) b.replaceWith(...b.childNodes)
  }
  const rich = body.querySelector(RICH) != null
  return { html: body.innerHTML, droppedDataImages, rich }
}
