// Finds an element by ARIA role and accessible name inside the page, through open shadow roots, for drivers that have
// no role locator of their own (WebDriver BiDi in Firefox, classic WebDriver in WebKit). It covers the part of the
// ARIA rules this app uses: an explicit `role`, the implicit roles of native elements, and names from
// aria-labelledby, aria-label, a <label>, then the element's own text. The function runs in the page (drivers send
// its source), so it must not reach anything outside its own body.

export interface RoleQuery {
  role: string;
  /** The accessible name, whole and case-insensitive (as tests/support/ui.ts `named`). */
  name: string;
  /** Matches names that start with `name` instead (e.g. articles: "Assistant, Hugging Face API"). */
  prefix?: boolean;
  /** Only inside the first visible element matching this query (e.g. the Settings dialog; not its slotted children). */
  within?: { role: string; name: string };
}

/**
 * Every visible element matching `query`, in document order (shadow trees included); with `asText`, the text each
 * shows instead (read through shadow roots and slots), for drivers that cannot return elements inside a list.
 */
export function findAllByRole(query: RoleQuery, asText = false): (Element | string)[] {
  const flatText = (node: Node): string => {
    if (node instanceof Text) return node.data;
    if (node instanceof HTMLSlotElement) {
      const assigned = node.assignedNodes({ flatten: true });
      return (assigned.length > 0 ? assigned : [...node.childNodes]).map(flatText).join('');
    }
    if (!(node instanceof Element) || ['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) return '';
    return [...(node.shadowRoot ?? node).childNodes].map(flatText).join('');
  };
  const tidy = (text: string) => text.replace(/\s+/g, ' ').trim();

  const roleOf = (element: Element): string => {
    const explicit = element.getAttribute('role')?.trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = element.localName;
    if (tag === 'input') {
      const type = (element as HTMLInputElement).type;
      const byType: Record<string, string> = {
        checkbox: 'checkbox',
        radio: 'radio',
        range: 'slider',
        number: 'spinbutton',
        search: 'searchbox',
        button: 'button',
        submit: 'button',
        reset: 'button',
      };
      if (type === 'file' || type === 'hidden') return '';
      return byType[type] ?? (element.hasAttribute('list') ? 'combobox' : 'textbox');
    }
    const byTag: Record<string, string> = {
      button: 'button',
      textarea: 'textbox',
      select: 'combobox',
      dialog: 'dialog',
      nav: 'navigation',
      article: 'article',
      ul: 'list',
      ol: 'list',
      li: 'listitem',
      progress: 'progressbar',
    };
    if (tag === 'a') return element.hasAttribute('href') ? 'link' : '';
    return byTag[tag] ?? '';
  };

  const nameOf = (element: Element): string => {
    const root = element.getRootNode() as Document | ShadowRoot;
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) {
      return tidy(
        labelledBy
          .split(/\s+/)
          .map((id) => root.getElementById(id))
          .map((label) => (label ? flatText(label) : ''))
          .join(' '),
      );
    }
    const label = element.getAttribute('aria-label');
    if (label?.trim()) return tidy(label);
    if (element.id && ['input', 'textarea', 'select'].includes(element.localName)) {
      const byFor = root.querySelector(`label[for="${CSS.escape(element.id)}"]`);
      if (byFor) return tidy(flatText(byFor));
    }
    const wrapping = element.closest('label');
    if (wrapping) return tidy(flatText(wrapping));
    return tidy(flatText(element));
  };

  const everyElement = function* (root: Document | ShadowRoot | Element): Generator<Element> {
    for (const element of root.querySelectorAll('*')) {
      yield element;
      if (element.shadowRoot) yield* everyElement(element.shadowRoot);
    }
  };
  const matches = (element: Element, role: string, name: string, prefix: boolean): boolean => {
    if (roleOf(element) !== role || !element.checkVisibility()) return false;
    const actual = nameOf(element).toLowerCase();
    return prefix ? actual.startsWith(name.toLowerCase()) : actual === name.toLowerCase();
  };

  let scope: Document | ShadowRoot | Element = document;
  if (query.within) {
    const { role, name } = query.within;
    const container = [...everyElement(document)].find((element) => matches(element, role, name, false));
    if (!container) return [];
    scope = container.shadowRoot ?? container;
  }
  const found = [...everyElement(scope)].filter((element) =>
    matches(element, query.role, query.name, query.prefix === true),
  );
  return asText ? found.map((element) => tidy(flatText(element))) : found;
}
