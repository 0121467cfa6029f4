"""The page's own style and scripts, and its header.

The scripts do two things Gradio's components do not: turn a click on an [n] button inside
a chat message into an event the server hears, and give screen readers each message's text
instead of its markup.
"""

HEADER = (
    '<div id="rag-header"><b>Interview Q&amp;A</b> <span class="rag-sub">· answers quoted '
    "from the transcripts, every sentence marked [n]; Chinese (简体, 繁體) or English</span></div>"
)
CSS = """
#rag-header { font-size: 1.05rem; padding: 2px 0; }
#rag-header .rag-sub { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.rag-cite { background: none; border: none; padding: 0 1px; margin: 0; font: inherit;
  font-weight: 600; color: var(--link-text-color, #2563eb); cursor: pointer; }
.rag-cite:hover { text-decoration: underline; }
.rag-cite:focus-visible { outline: 2px solid var(--color-accent); border-radius: 3px; }
.rag-meta { color: var(--body-text-color); opacity: 0.7; font-size: 0.78em; }
.rag-answer p { margin: 0 0 0.3em 0; }
.rag-source { margin-bottom: 0.9em; }
.rag-evidence { position: relative; max-height: 68vh; overflow-y: auto; }
.rag-evidence .rag-ev-head { margin-bottom: 0.4em; }
.rag-evidence .rag-turn { border-left: 3px solid var(--border-color-primary);
  padding: 0.2em 0 0.2em 0.7em; margin: 0.6em 0; }
.rag-evidence .rag-around { color: var(--body-text-color-subdued); }
.rag-evidence .rag-cited { border-left-color: var(--color-accent); }
.rag-evidence .rag-this { background: var(--color-accent-soft); border-radius: 4px;
  padding: 0.2em 0.4em; }
.rag-evidence .rag-who { font-size: 0.8em; font-weight: 600; }
.rag-evidence .rag-piece + .rag-piece { margin-top: 0.4em; }
.rag-hint, .rag-empty, .rag-silent { color: var(--body-text-color-subdued); }
.rag-table { width: 100%; border-collapse: collapse; font-size: 0.92em; }
.rag-table caption { text-align: left; padding: 0.3em 0; color: var(--body-text-color-subdued); }
.rag-table th, .rag-table td { text-align: left; vertical-align: top; padding: 0.35em 0.5em;
  border-bottom: 1px solid var(--border-color-primary); }
.rag-table .rag-num { text-align: right; white-space: nowrap; }
/* a long file name wraps, and a table still too wide scrolls inside its frame (phones) */
.rag-table td { overflow-wrap: anywhere; }
#rag-library { overflow-x: auto; }
.rag-table tr.rag-error td { color: var(--error-text-color, #b91c1c); }
.rag-who-said tr.rag-doc th { background: var(--background-fill-secondary); }
@media (max-width: 640px) {
  #rag-header .rag-sub { display: none; }
  .rag-evidence { max-height: none; }
}
"""

# The [n] buttons live in chat messages, which the Chatbot sanitizes; one listener on the
# document turns a click (or Enter) on any of them into this panel's click event.
CITE_JS = """
window.ragOpenCitation = (value) => trigger('click', {value: value});
watch('value', () => {
  const box = element.querySelector('.rag-evidence');
  const cited = box && box.querySelector('.rag-this');
  if (cited) box.scrollTop = Math.max(cited.offsetTop - 60, 0);
});
if (!window.ragCiteListener) {
  window.ragCiteListener = true;
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('button.rag-cite');
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    window.ragOpenCitation(button.value);
    const panel = document.getElementById('rag-evidence');
    if (panel && window.matchMedia('(max-width: 900px)').matches) panel.scrollIntoView();
  }, true);
}
"""

# The Chatbot labels each message with its raw content, markup included; a screen reader
# should hear the text. Parsing with DOMParser is inert: no script runs, no image loads.
PAGE_JS = """
() => {
  const set = new WeakMap();
  const clean = (el) => {
    const label = el.getAttribute('aria-label');
    const at = label ? label.indexOf("'s message: ") : -1;
    if (at < 0 || set.get(el) === label) return;
    const doc = new DOMParser().parseFromString(label.slice(at + 12), 'text/html');
    const text = doc.body.textContent.replace(/\\s+/g, ' ').trim();
    const fixed = label.slice(0, at + 12) + text;
    set.set(el, fixed);
    if (fixed !== label) el.setAttribute('aria-label', fixed);
  };
  const scan = (root) => root.querySelectorAll &&
    root.querySelectorAll('[aria-label*="\\'s message: "]').forEach(clean);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') clean(r.target);
      else r.addedNodes.forEach(scan);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['aria-label']});
  scan(document.body);
}
"""
