/* Material's search worker, loaded on demand (see SEARCH_WORKER_SHIM in scripts/sitekit/material_compat.py).
   The page creates this small worker at load; Material sends it the first message (the search index)
   only when the reader opens the search. Only then is Material's worker loaded - and, with the index,
   lunr's stemmer for the language. The worker's name comes from the page config (?worker=...). */
"use strict";
addEventListener("message", function start(event) {
  removeEventListener("message", start);
  const worker = new URL(location.href).searchParams.get("worker") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(worker)) {
    throw new Error("search-on-demand: unexpected worker name " + worker);
  }
  importScripts(worker); /* same folder: Material's relative paths ("../lunr/...") stay right */
  dispatchEvent(new MessageEvent("message", { data: event.data }));
});
