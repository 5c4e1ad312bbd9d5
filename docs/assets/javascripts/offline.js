/* Start page: "Save this language for offline reading" (issue #16). Nothing is stored before the
   reader taps the button: only then is the service worker (sw.js at the site root) registered; it
   stores this language's manifest (offline/<lang>.json) and reports progress. "Remove" deletes the
   language's copy, and the worker itself once nothing is saved. Texts come from the panel's data
   attributes (partials/frame.html); without JavaScript or service workers the panel stays hidden. */
"use strict";
(function () {
  const panel = document.querySelector(".site-offline[data-language]");
  if (!panel || !("serviceWorker" in navigator) || !("caches" in window) || !window.isSecureContext) return;
  const texts = panel.dataset;
  const language = texts.language;
  const scope = new URL(texts.scope, location.href).href;
  const workerUrl = new URL(texts.worker, location.href).href;
  const save = panel.querySelector("[data-action=save]");
  const remove = panel.querySelector("[data-action=remove]");
  const size = panel.querySelector(".site-offline__size");
  const progress = panel.querySelector(".site-offline__progress");
  const bar = progress.querySelector("progress");
  const done = progress.querySelector("span");
  const status = panel.querySelector(".site-offline__status");
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));

  function show(state, message) {
    save.hidden = state !== "unsaved";
    size.hidden = state !== "unsaved";
    remove.hidden = state !== "saved";
    progress.hidden = state !== "saving";
    status.textContent = message || "";
    panel.dataset.state = state;
  }

  /* One request to the worker; progress messages until the answer (or an error). */
  function ask(worker, message, onProgress) {
    return new Promise(function (resolve, reject) {
      const channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        const data = event.data;
        if (data.type === "progress") {
          if (onProgress) onProgress(data);
        } else if (data.type === "error") {
          reject(new Error(data.message));
        } else {
          resolve(data);
        }
      };
      worker.postMessage(message, [channel.port2]);
    });
  }

  /* This site's worker (a registration for another base path, e.g. the main site above a preview, is not ours). */
  async function ownWorker(register) {
    let registration = await navigator.serviceWorker.getRegistration(scope);
    if (registration && registration.scope !== scope) registration = undefined;
    if (!registration) {
      if (!register) return null;
      registration = await navigator.serviceWorker.register(workerUrl, { scope: scope });
    }
    if (registration.active) return registration.active;
    const pending = registration.installing || registration.waiting;
    return new Promise(function (resolve) {
      pending.addEventListener("statechange", function () {
        if (pending.state === "activated") resolve(pending);
      });
    });
  }

  function saved(answer) {
    show("saved", fill(texts.textSaved, { date: answer.date_text }));
  }

  save.addEventListener("click", async function () {
    show("saving");
    bar.value = 0;
    done.textContent = "";
    try {
      const worker = await ownWorker(true);
      const answer = await ask(worker, { type: "save", language: language }, function (step) {
        bar.max = step.total;
        bar.value = step.done;
        done.textContent = fill(texts.textProgress, { done: step.done, total: step.total });
      });
      saved(answer);
    } catch (error) {
      show("unsaved", texts.textError);
    }
  });

  remove.addEventListener("click", async function () {
    try {
      const worker = await ownWorker(false);
      if (worker) await ask(worker, { type: "remove", language: language });
      show("unsaved", texts.textRemoved);
      save.focus();
    } catch (error) {
      show("saved", texts.textError);
    }
  });

  (async function () {
    const worker = await ownWorker(false);
    const answer = worker ? await ask(worker, { type: "status", language: language }) : { saved: false };
    if (!answer.saved) {
      show("unsaved");
    } else {
      saved(answer);
      /* Online now: the worker updates the saved copy if the site changed since (manifest version). */
      const checked = await ask(worker, { type: "check", language: language });
      if (checked.saved) saved(checked);
    }
    panel.hidden = false;
  })().catch(function () { /* no panel: the browser refused the worker or its storage */ });
})();
