// A DOM for TipTap in node: happy-dom's Window, installed as globals once.
import { Window } from 'happy-dom'

const win = new Window({ url: 'https://example.com/t/12-slug/' })
for (const key of ['window', 'document', 'navigator', 'DOMParser', 'Node', 'Element', 'HTMLElement', 'Text',
  'Document', 'DocumentFragment', 'MutationObserver', 'getComputedStyle', 'requestAnimationFrame',
  'cancelAnimationFrame', 'Event', 'KeyboardEvent', 'MouseEvent', 'InputEvent', 'ClipboardEvent', 'DataTransfer',
  'localStorage', 'HTMLTextAreaElement', 'HTMLFormElement', 'Range', 'Selection', 'CustomEvent', 'File', 'Blob',
  'FormData', 'NodeFilter']) {
  if (!(key in globalThis) || key === 'window' || key === 'document' || key === 'localStorage' || key === 'DOMParser' || key === 'Event' || key === 'CustomEvent') {
    try { globalThis[key] = key === 'window' ? win : win[key] } catch { /* read-only global */ }
  }
}
export { win }
