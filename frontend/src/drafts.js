// Drafts: localStorage {body, savedAt} under data-draft-key, and the server draft API.
export const DRAFT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000

export function readLocalDraft(key, now = Date.now(), storage = globalThis.localStorage) {
  if (!key || !storage) return null
  try {
    const raw = storage.getItem(key)
    if (!raw) return null
    const d = JSON.parse(raw)
    if (!d || typeof d.body !== 'string' || typeof d.savedAt !== 'number' || now - d.savedAt > DRAFT_MAX_AGE_MS) {
      storage.removeItem(key)
      return null
    }
    return d
  } catch (e) {
    return null
  }
}

export function writeLocalDraft(key, body, now = Date.now(), storage = globalThis.localStorage) {
  if (!key || !storage) return
  try {
    if (body.trim()) storage.setItem(key, JSON.stringify({ body, savedAt: now }))
    else storage.removeItem(key)
  } catch (e) { /* quota or blocked storage */ }
}

export function removeLocalDraft(key, storage = globalThis.localStorage) {
  try { if (key && storage) storage.removeItem(key) } catch (e) { /* blocked */ }
}

export function csrfToken(form) {
  return form.querySelector('input[name=csrfmiddlewaretoken]')?.value || ''
}

/** fetch() JSON with the form's CSRF token. Resolves to {status, data}. */
export async function requestJSON(form, method, url, body) {
  const headers = { Accept: 'application/json' }
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken(form)
  let payload
  if (body instanceof FormData) payload = body
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body) }
  const res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' })
  let data = null
  if (res.status !== 204) { try { data = await res.json() } catch (e) { data = null } }
  return { status: res.status, data }
}
