/* Reading offline, by the reader's choice (issue #16). The build copies this file to the site root
   as sw.js (scripts/sitekit/offline.py), so its scope is the site's own base path: it covers this
   site's pages and nothing above them; a copy under a deeper base path (a pull-request preview)
   has its own scope and its own caches, and this worker leaves that path's requests alone.

   It is registered only when the reader taps "Save this language for offline reading" on a start
   page (assets/javascripts/offline.js); until then nothing is stored.

   - Caches: one per saved language, "offline <scope path> <language> <version>", holding exactly the
     URLs of the language's manifest (offline/<language>.json, written at build time with a hash of
     every file); the manifest itself is stored last and marks the copy complete.
   - Requests: only GET requests to this origin, below the scope, for a page of this site or a file
     of a saved manifest, are answered here - from the saved copy if there is one, otherwise from
     the network; offline, a page that is not saved gets the offline page of a saved language.
     Requests to other hosts are never intercepted; nothing is cached that the reader did not save.
   - Updates: on a page visit (at most every 10 minutes, and again after a failed attempt) and when a
     start page asks, the worker fetches the saved languages' manifests; a new version is stored
     next to the old copy (unchanged files copied over), then the old copy is deleted. */
"use strict";

const SCOPE = new URL(self.registration.scope);
const PREFIX = "offline " + SCOPE.pathname + " ";
const CHECK_INTERVAL = 10 * 60 * 1000;
const PARALLEL = 4;

let known = null;        // Promise of the Set of paths (below the scope) this worker answers
let lastCheck = 0;
let checking = null;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function pathOf(url) {
  return decodeURI(new URL(url).pathname).slice(decodeURI(SCOPE.pathname).length);
}

function manifestUrl(language) {
  return new URL("offline/" + language + ".json", SCOPE);
}

/* The saved languages: [{name, manifest}], only complete copies (manifest stored). */
async function savedLanguages() {
  const saved = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const language = name.slice(PREFIX.length).split(" ")[0];
    const stored = await (await caches.open(name)).match(manifestUrl(language));
    if (stored) saved.push({ name: name, manifest: await stored.json() });
  }
  return saved;
}

function knownPaths() {
  if (!known) {
    known = savedLanguages().then(function (saved) {
      const paths = new Set();
      for (const { manifest } of saved) {
        for (const page of manifest.pages) paths.add(page);
        for (const [path] of manifest.files) paths.add(path.split("?")[0]);
      }
      return paths;
    });
  }
  return known;
}

async function fromSavedCopies(request) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const response = await (await caches.open(name)).match(request, { ignoreSearch: true });
    if (response) return response;
  }
  return undefined;
}

/* Store a manifest's files; unchanged files (same hash) are copied from the language's saved copy. */
async function install(manifest, onProgress) {
  const name = PREFIX + manifest.language + " " + manifest.version;
  const saved = (await savedLanguages()).find(function (entry) { return entry.manifest.language === manifest.language; });
  if (saved && saved.name === name) return saved.manifest;
  const previous = saved ? await caches.open(saved.name) : null;
  const hashes = new Map(saved ? saved.manifest.files.map(function ([path, , hash]) { return [path, hash]; }) : []);
  for (const other of await caches.keys()) {   // an interrupted earlier attempt at another version
    if (other.startsWith(PREFIX + manifest.language + " ") && other !== name && (!saved || other !== saved.name)) {
      await caches.delete(other);
    }
  }
  const cache = await caches.open(name);
  const queue = manifest.files.slice();
  let done = 0;
  async function next() {
    while (queue.length) {
      const [path, , hash] = queue.shift();
      const url = new URL(path, SCOPE);
      let response = previous && hashes.get(path) === hash ? await previous.match(url) : undefined;
      if (!response && hash && !(await cache.match(url))) {
        response = await fetch(url, { cache: "no-cache" });
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      }
      if (response) await cache.put(url, response);
      done += 1;
      onProgress(done, manifest.files.length);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, next));
  await cache.put(manifestUrl(manifest.language), new Response(JSON.stringify(manifest),
    { headers: { "Content-Type": "application/json" } }));
  if (saved) await caches.delete(saved.name);
  known = null;
  return manifest;
}

async function fetchManifest(language) {
  const response = await fetch(manifestUrl(language), { cache: "no-store" });
  if (!response.ok) throw new Error("manifest " + language + ": HTTP " + response.status);
  return response.json();
}

async function remove(language) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX + language + " ")) await caches.delete(name);
  }
  known = null;
  if (!(await savedLanguages()).length) await self.registration.unregister();
}

/* Bring every saved language up to date (if online and the site changed). */
function checkForUpdates(force) {
  if (checking) return checking;
  if (!force && Date.now() - lastCheck < CHECK_INTERVAL) return Promise.resolve();
  lastCheck = Date.now();
  checking = (async function () {
    for (const { manifest } of await savedLanguages()) {
      try {
        const current = await fetchManifest(manifest.language);
        if (current.version !== manifest.version) await install(current, function () {});
      } catch (error) {
        lastCheck = 0;   // offline or interrupted: try again on the next visit
      }
    }
  })().finally(function () { checking = null; });
  return checking;
}

async function offlinePage(request) {
  const saved = await savedLanguages();
  if (!saved.length) return undefined;
  const from = request.referrer ? pathOf(request.referrer) : "";
  saved.sort(function (a, b) { return b.manifest.prefix.length - a.manifest.prefix.length; });
  const chosen = saved.find(function (entry) { return from.startsWith(entry.manifest.prefix); }) || saved[0];
  return fromSavedCopies(new URL("offline/" + chosen.manifest.language + ".html", SCOPE));
}

async function respond(request) {
  if (!(await knownPaths()).has(pathOf(request.url))) return fetch(request);
  const saved = await fromSavedCopies(request);
  if (saved) return saved;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") {
      const page = await offlinePage(request);
      if (page) return page;
    }
    throw error;
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  event.respondWith(respond(request));
  if (request.mode === "navigate") event.waitUntil(checkForUpdates(false));
});

self.addEventListener("message", function (event) {
  const message = event.data || {};
  const port = event.ports[0];
  if (!port) return;
  const answer = function (manifest) {
    port.postMessage(manifest ? { type: "done", saved: true, date_text: manifest.date_text, version: manifest.version }
      : { type: "done", saved: false });
  };
  const language = String(message.language || "");
  const work = (async function () {
    if (message.type === "save") {
      answer(await install(await fetchManifest(language), function (done, total) {
        port.postMessage({ type: "progress", done: done, total: total });
      }));
    } else if (message.type === "remove") {
      await remove(language);
      answer(null);
    } else if (message.type === "check") {
      await checkForUpdates(true);
      answer(((await savedLanguages()).find(function (entry) { return entry.manifest.language === language; }) || {}).manifest);
    } else if (message.type === "status") {
      answer(((await savedLanguages()).find(function (entry) { return entry.manifest.language === language; }) || {}).manifest);
    }
  })().catch(function (error) {
    port.postMessage({ type: "error", message: String(error && error.message || error) });
  });
  event.waitUntil(work);
});
