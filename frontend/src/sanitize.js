// Pasted HTML sanitizer. Runs in the browser's DOMParser (inert document: no scripts
// run, no images load) before ProseMirror parses the paste; the editor schema then
// drops whatever it has no node or mark for.

const DROP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed',
  'applet', 'form', 'input', 'button', 'select', 'option', 'textarea', 'label', 'fieldset',
  'link', 'meta', 'base', 'title', 'head', 'svg', 'math', 'canvas', 'video', 'audio',
  'source', 'track', 'picture', 'map', 'area', 'dialog',
])
const KEEP_ATTRS = new Set(['href', 'src', 'alt', 'title', 'start', 'colspan', 'rowspan', 'data-embed', 'data-url'])
const SAFE_URL = /^(https?:|mailto:|\/(?!\/)|#)/i
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

/**
 * sanitizePastedHTML(html) -> { html, droppedDataImages, rich }
 * droppedDataImages: an <img src="data:..."> (or blob:) was left out.
 * rich: the paste carries more than paragraphs and links.
 */
export function sanitizePastedHTML(html, Parser = globalThis.DOMParser) {
  const doc = new Parser().parseFromString(String(html || ''), 'text/html')
  const body = doc.body
  let droppedDataImages = false
  if (!body) return { html: '', droppedDataImages, rich: false }

  // Comments and processing instructions.
  const walker = doc.createTreeWalker(body, 128 /* NodeFilter.SHOW_COMMENT */)
  const comments = []
  while (walker.nextNode()) comments.push(walker.currentNode)
  comments.forEach(c => c.remove())

  for (const el of Array.from(body.querySelectorAll('*'))) {
    if (!el.isConnected) continue
    const tag = el.tagName.toLowerCase()
    if (DROP.has(tag) || isHidden(el)) { el.remove(); continue }
    if (tag === 'img') {
      const src = (el.getAttribute('src') || '').trim()
      if (/^(data|blob):/i.test(src)) { droppedDataImages = true; el.remove(); continue }
      if (!src || !SAFE_URL.test(src) || isTracker(el)) { el.remove(); continue }
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase()
      if (!KEEP_ATTRS.has(name) && !(name === 'class' && tag === 'code')) { el.removeAttribute(attr.name); continue }
      if ((name === 'href' || name === 'src' || name === 'data-url') && !SAFE_URL.test(attr.value.trim())) {
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
