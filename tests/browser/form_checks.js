// The forms of a page, sent back with mistakes (see test_every_page_is_accessible.py).
// ["count"]           how many POST forms have fields a person fills in;
// ["empty", n]        empties form n (text cleared, boxes unticked, first menu choice) and
//                     marks its submit button with data-walk-submit;
// ["check", prefix]   what is wrong with the error pattern on a page that came back: the
//                     summary has the focus and links every field in error to a control
//                     that takes the focus; every error is named by an aria-describedby;
//                     every aria-invalid control names its error; the title starts with
//                     `prefix`. Returns null when the page has no error summary.
([action, argument]) => {
  const visible = (element) => element.getClientRects().length > 0;
  const fillable = (element) =>
    visible(element) && !element.disabled && element.type !== "hidden" &&
    !["submit", "button", "reset"].includes(element.type) && element.tagName !== "BUTTON";
  const forms = [...document.querySelectorAll("form")].filter(
    (form) => form.method === "post" && [...form.elements].some(fillable));

  if (action === "count") { return forms.length; }

  if (action === "empty") {
    const form = forms[argument];
    for (const element of form.elements) {
      if (!fillable(element)) { continue; }
      if (element.type === "checkbox") { element.checked = false; }
      else if (element.tagName === "SELECT") {
        if (element.multiple) { [...element.options].forEach((o) => { o.selected = false; }); }
        else { element.selectedIndex = 0; }
      } else if (element.type !== "radio" && element.type !== "file") { element.value = ""; }
    }
    form.querySelector("button[type=submit], button:not([type]), input[type=submit]")
      .setAttribute("data-walk-submit", "");
    return null;
  }

  // "check"
  const summary = document.querySelectorAll("[data-error-summary]");
  if (!summary.length) { return null; }
  const problems = [];
  if (summary.length > 1) { problems.push(summary.length + " error summaries"); }
  if (document.activeElement !== summary[0]) {
    problems.push("the focus is on " + document.activeElement.tagName + ", not the summary");
  }
  if (!document.title.startsWith(argument)) { problems.push("title: " + document.title); }
  const links = summary[0].querySelectorAll("a[href^='#']");
  if (!summary[0].querySelectorAll("li").length) { problems.push("the summary lists nothing"); }
  const errors = [...document.querySelectorAll(".error[id]")].map((e) => e.id);
  const described = new Set([...document.querySelectorAll("[aria-describedby]")].flatMap(
    (element) => element.getAttribute("aria-describedby").split(/\s+/)));
  for (const id of errors) {
    if (!described.has(id)) { problems.push("#" + id + " describes no field"); }
  }
  for (const control of document.querySelectorAll("[aria-invalid=true]")) {
    const names = (control.getAttribute("aria-describedby") || "").split(/\s+/);
    if (!names.some((id) => errors.includes(id))) {
      problems.push("#" + control.id + " is invalid but names no error");
    }
  }
  for (const link of links) {
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target || !visible(target)) { problems.push(link.hash + " leads nowhere"); continue; }
    link.click();
    if (document.activeElement !== target) { problems.push(link.hash + " does not focus"); }
  }
  return problems;
}
