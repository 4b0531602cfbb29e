// What axe-core leaves to people, checked in the page (see page_checks.py):
// "focus"   every element that takes the focus shows the site's outline, 3:1 against what
//           surrounds it (WCAG 2.4.7, 1.4.11);
// "borders" text fields and menus have a border at 3:1 (WCAG 1.4.11);
// "ids"     no id is used twice (labels, descriptions and summary links point by id).
// Returns a description of each element that fails.
(kind) => {
  const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const contrast = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  // The colour actually behind an element: the first ancestor with an opaque background.
  const behind = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] > 0.99) { return colour.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const visible = (element) =>
    element.getClientRects().length > 0 &&
    getComputedStyle(element).visibility !== "hidden" &&
    !element.closest("[hidden], .visually-hidden");
  const name = (element) => {
    const text = element.textContent.trim().slice(0, 30);
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
      (element.name ? "[name=" + element.name + "]" : "") + (text ? " '" + text + "'" : "");
  };
  const problems = [];

  if (kind === "focus") {
    const focusable = document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
      "[tabindex]:not([tabindex='-1'])");
    for (const element of focusable) {
      if (!visible(element) || element.disabled) { continue; }
      element.focus();
      if (document.activeElement !== element) { continue; }
      const style = getComputedStyle(element);
      const ratio = contrast(rgb(style.outlineColor), behind(element.parentElement));
      if (style.outlineStyle !== "solid" || parseFloat(style.outlineWidth) < 2 || ratio < 3) {
        problems.push(name(element) + ": outline " + style.outlineStyle + " " +
          style.outlineWidth + " at " + ratio.toFixed(2) + ":1");
      }
      element.blur();
    }
    window.scrollTo(0, 0);
  }

  if (kind === "borders") {
    const controls = document.querySelectorAll(
      "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])" +
      ":not([type=button]):not([type=file]), select, textarea");
    for (const control of controls) {
      if (!visible(control)) { continue; }
      const style = getComputedStyle(control);
      const ratio = Math.max(
        contrast(rgb(style.borderTopColor), behind(control.parentElement)),
        contrast(rgb(style.borderTopColor), rgb(style.backgroundColor)));
      if (parseFloat(style.borderTopWidth) < 1 || ratio < 3) {
        problems.push(name(control) + ": border " + style.borderTopWidth + " " +
          style.borderTopColor + " at " + ratio.toFixed(2) + ":1");
      }
    }
  }
  if (kind === "ids") {
    const seen = new Map();
    for (const element of document.querySelectorAll("[id]")) {
      seen.set(element.id, (seen.get(element.id) || 0) + 1);
    }
    for (const [id, count] of seen) {
      if (count > 1) { problems.push("id '" + id + "' is used " + count + " times"); }
    }
  }
  return problems;
}
