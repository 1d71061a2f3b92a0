// The site's one translation helper (static/folkmoot/i18n.js), bundled: the page's catalogue
// when it is there, else the English written in the calls (node tests, the dev server).
import '../../src/folkmoot/static/folkmoot/i18n.js'

export const { gettext, ngettext, interpolate } = globalThis.folkmootI18n
