import type { Page } from 'playwright-core';

/**
 * Two checks a browser can make on the page as rendered: every form control has a label (its own
 * <label>, aria-label or aria-labelledby), and every piece of visible text has the WCAG AA contrast
 * with its background (4.5:1; 3:1 for large text: 24px, or 18.66px bold). Returns what fails.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Run in the page as a string: the project's compiler has no DOM types (the server never needs them).
  return page.evaluate<string[]>(`(() => {
    const problems = [];
    for (const control of Array.from(document.querySelectorAll('input, select, textarea'))) {
      if (control.type === 'hidden') continue;
      const labelled = (control.labels?.length ?? 0) > 0 || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      if (!labelled) problems.push(\`unlabelled \${control.tagName.toLowerCase()} \${control.id || control.name}\`);
    }
    const rgb = (color) => {
      const m = color.match(/rgba?[(]([^)]+)[)]/);
      if (!m) return [0, 0, 0, 1];
      const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const luminance = ([r, g, b]) => {
      const channel = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element) => {
      for (let e = element; e; e = e.parentElement) {
        const [r, g, b, a] = rgb(getComputedStyle(e).backgroundColor);
        if (a > 0.5) return [r, g, b];
      }
      return [255, 255, 255];
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || !node.textContent?.trim()) continue;
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (!rect.width || !rect.height || style.visibility === 'hidden' || element.closest('.visually-hidden, .skip, option, noscript')) continue;
      const l1 = luminance(rgb(style.color));
      const l2 = luminance(background(element));
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(\`contrast \${ratio.toFixed(2)} for "\${node.textContent.trim().slice(0, 40)}"\`);
    }
    return [...new Set(problems)];
  })()`);
}
