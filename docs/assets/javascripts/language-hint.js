/* Language hint (issue #16): a reader who arrives from elsewhere (another site, a QR code, a typed
   address) on a page in another language than the first of the site's languages their browser
   prefers (navigator.languages) is offered this page in that language. No redirect, nothing stored:
   within the site the hint does not come back, because the reader then comes from this site. Without
   JavaScript nothing changes. The texts of all languages are one shared file, fetched only when there is
   a hint to show (written by the build: sitekit/page_build.py, write_language_hints). */
"use strict";
(function () {
  const bar = document.querySelector(".site-languages[data-site-root]");
  if (!bar || !navigator.languages) return;
  const root = new URL(bar.dataset.siteRoot, location.href).href;
  if (document.referrer.startsWith(root)) return;
  const page = document.documentElement.lang.toLowerCase();
  const links = new Map();
  for (const link of bar.querySelectorAll("a[hreflang]")) links.set(link.hreflang.toLowerCase(), link);
  for (const wanted of navigator.languages) {
    const tag = wanted.toLowerCase();
    const code = links.has(tag) ? tag : tag.split("-")[0];
    if (code === page) return;
    const link = links.get(code);
    if (link && !link.hasAttribute("aria-current")) {
      fetch(new URL("assets/javascripts/language-hints.json", root))
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (texts) {
          const text = texts && texts[link.hreflang];
          if (text && typeof text.offer === "string" && typeof text.close === "string") show(link, text);
        })
        .catch(function () { /* no hint: the language bar is there anyway */ });
      return;
    }
  }

  function show(link, text) {
    const hint = document.createElement("p");
    hint.className = "site-languages__hint";
    hint.lang = link.lang;
    hint.dir = link.dir;
    const offer = document.createElement("a");
    offer.href = link.href;
    offer.hreflang = link.hreflang;
    offer.textContent = text.offer;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "site-languages__close";
    close.setAttribute("aria-label", text.close);
    close.addEventListener("click", function () {
      hint.remove();
      link.focus();
    });
    hint.append(offer, close);
    bar.append(hint);
  }
})();
