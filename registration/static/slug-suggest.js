// Shows the web address the server will make from the title while the slug field is empty.
(function () {
  "use strict";
  const slug = document.querySelector("input[data-slug-from]");
  if (!slug) return;
  const source = document.getElementById(slug.dataset.slugFrom);
  if (!source) return;
  const fallback = slug.placeholder;
  const suggest = function () {
    const made = source.value
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 72);
    slug.placeholder = made || fallback;
  };
  source.addEventListener("input", suggest);
  suggest();
})();
