import { gettext } from './i18n.js'

// The notice area: one row per kind, each with message, optional action, and a dismiss "×".
export class Notices {
  constructor(form, before) {
    let area = form.querySelector('[data-composer-notices]')
    if (!area) {
      area = document.createElement('div')
      area.setAttribute('data-composer-notices', '')
      before.parentNode.insertBefore(area, before)
    }
    area.setAttribute('aria-live', 'polite')
    area.setAttribute('role', 'status')
    area.classList.add('fm-notices')
    this.area = area
    this.rows = new Map()
  }

  /** show(kind, message, action?: {label, run}) — replaces any notice of the same kind. */
  show(kind, message, action) {
    this.dismiss(kind)
    const row = document.createElement('div')
    row.className = 'fm-notice'
    row.setAttribute('data-notice', kind)
    const close = document.createElement('button')
    close.type = 'button'
    close.className = 'fm-notice-dismiss'
    close.setAttribute('aria-label', gettext('Dismiss'))
    close.textContent = '×'
    close.addEventListener('click', () => this.dismiss(kind))
    const text = document.createElement('span')
    text.className = 'fm-notice-text'
    text.textContent = message
    row.append(close, text)
    if (action) {
      const btn = document.createElement('button')
      btn.type = 'button'
      btn.className = 'fm-notice-action'
      btn.textContent = action.label
      btn.addEventListener('click', () => action.run())
      row.append(btn)
    }
    this.area.append(row)
    this.rows.set(kind, row)
    return row
  }

  dismiss(kind) {
    const row = this.rows.get(kind)
    if (row) { row.remove(); this.rows.delete(kind) }
  }

  has(kind) { return this.rows.has(kind) }
}
