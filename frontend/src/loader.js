// composer-loader.js: on every topic page. Loads the editor only on first use.
const started = new WeakSet()

function start(form) {
  if (started.has(form)) return
  started.add(form)
  let src
  try {
    src = new URL(form.dataset.composerSrc, location.href)
    // Same origin as the page or as this loader (static files may live on a CDN).
    if (src.origin !== location.origin && src.origin !== new URL(import.meta.url).origin) throw new Error('foreign composer origin')
  } catch (e) {
    return // keep the plain textarea
  }
  import(src.href).then(m => m.mountComposer(form)).catch(err => {
    started.delete(form)
    console.error('[folkmoot] composer failed to load', err)
  })
}

for (const form of document.querySelectorAll('form[data-composer]')) {
  // Rendered after a successful post: the local draft is done with.
  if (form.hasAttribute('data-draft-posted') && form.dataset.draftKey) {
    try { localStorage.removeItem(form.dataset.draftKey) } catch (e) { /* storage blocked */ }
  }
  const onUse = ev => {
    if (ev.target.closest('textarea[name=body],[data-composer-open]')) start(form)
  }
  form.addEventListener('focusin', onUse)
  form.addEventListener('click', onUse)
  if (document.activeElement && form.contains(document.activeElement) && document.activeElement.matches('textarea[name=body]')) start(form)
}
