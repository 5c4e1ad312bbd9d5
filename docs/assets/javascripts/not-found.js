/* 404 page: GitHub Pages answers a missing address anywhere below the site with the public site's
   404 page – also inside a pull-request preview (…/pr-preview/pr-<n>/…). There the links to the
   start pages lead into that preview instead of the published site. */
(() => {
  const base = new URL(document.currentScript.dataset.base, location).pathname;
  const rest = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "";
  const preview = rest.match(/^pr-preview\/pr-\d+\//);
  if (!preview) return;
  for (const link of document.querySelectorAll("a[data-site-home]")) {
    link.href = base + preview[0] + link.dataset.siteHome;
  }
})();
