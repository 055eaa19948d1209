/* port-assess section page: autosave, conditional questions, unsaved-changes warning.
   Plain JavaScript, no framework. Without it the page still works: the form posts and the
   server re-renders the section. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var autosaveUrl = form.getAttribute("data-autosave");
  if (!autosaveUrl) { return; }     // a completed assessment: read-only, nothing to save
  var status = form.querySelector("[data-save-status]");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var dirty = {};        // question id -> edit counter not yet saved
  var inFlight = false;
  var timer = null;
  var submitting = false;
  var submitAfterSave = null;   // the button pressed while a background save was on its way

  function questionOf(element) { return element.closest("fieldset[data-question]"); }

  /* Every word this script shows comes from the page, in its language: the template writes
     them translated into data-* attributes of the status line (templates/assessments/
     section.html); a {name} in one is filled from ``values``. */
  function word(name, values) {
    var text = (status && status.getAttribute("data-" + name)) || "";
    return text.replace(/\{(\w+)\}/g, function (placeholder, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : placeholder;
    });
  }

  function say(text, kind) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "save-status" + (kind ? " save-" + kind : "");
  }

  function hasDirty() { return Object.keys(dirty).length > 0; }

  /* --- conditional questions ------------------------------------------------------------ */

  function answerIn(targetId, ids) {
    var inputs = form.querySelectorAll('[name="a:' + CSS.escape(targetId) + '"]');
    if (!inputs.length) { return null; }           // the target is not on this page
    var block = questionOf(inputs[0]);
    if (block && block.hidden) { return false; }
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked && ids.indexOf(inputs[i].value) !== -1) { return true; }
    }
    return false;
  }

  function applyConditions() {
    var blocks = form.querySelectorAll("fieldset[data-show-if]");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var shown = answerIn(block.getAttribute("data-show-if"),
                           block.getAttribute("data-show-if-in").split(" "));
      if (shown === null) { continue; }             // decided by the server
      block.hidden = !shown;
      block.disabled = !shown;                      // disabled fields are not sent
    }
  }

  /* --- exclusive choices ---------------------------------------------------------------- */

  /* A box the template marks data-exclusive ("None of these", "Don't know", "Not applicable")
     clears the other boxes of its question's field when ticked, and is cleared when another is
     ticked. A number's x: boxes also clear the number, and typing a number clears them. */
  function keepExclusive(input) {
    var block = questionOf(input);
    if (!block) { return; }
    if (input.type === "checkbox" && input.checked) {
      var exclusive = input.hasAttribute("data-exclusive");
      var boxes = block.querySelectorAll('input[type=checkbox][name="' + CSS.escape(input.name) + '"]');
      for (var i = 0; i < boxes.length; i++) {
        var other = boxes[i];
        if (other !== input && (exclusive || other.hasAttribute("data-exclusive"))) { other.checked = false; }
      }
    }
    if (input.name.indexOf("x:") === 0 && input.checked) {
      var number = block.querySelector('input[type=text][name^="a:"]');
      if (number) { number.value = ""; }
    }
    if (input.type === "text" && input.name.indexOf("a:") === 0 && input.value !== "") {
      var specials = block.querySelectorAll('input[name^="x:"]');
      for (var k = 0; k < specials.length; k++) { specials[k].checked = false; }
    }
  }

  /* --- autosave ------------------------------------------------------------------------- */

  function fieldsOf(block, data) {
    var elements = block.querySelectorAll("input, textarea, select");
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (!el.name || el.disabled) { continue; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { continue; }
      data.append(el.name, el.value);
    }
  }

  function showMessage(block, cls, html) {
    var old = block.querySelector("." + cls + "[data-live]");
    if (old) { old.remove(); }
    if (!html) { return; }
    var box = document.createElement("div");
    box.className = cls;
    box.setAttribute("data-live", "");
    box.setAttribute("role", "alert");
    box.appendChild(html);
    block.insertBefore(box, block.querySelector("input[name=q]"));
  }

  /* Times read one way on every page: HH:MM UTC, as the server writes them. */
  function utcTime() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(now.getUTCHours()) + ":" + two(now.getUTCMinutes()) + " UTC";
  }

  function text(content) {
    var p = document.createElement("p");
    p.textContent = content;
    return p;
  }

  function conflictBox(block, info) {
    var wrap = document.createElement("div");
    wrap.appendChild(text(word("conflict", {
      name: info.changed_by, when: info.changed_at_text || info.changed_at + " UTC"
    })));
    var theirs = info.comment && info.evidence ? "their-answer-both"
      : info.comment ? "their-answer-comment"
      : info.evidence ? "their-answer-evidence" : "their-answer";
    wrap.appendChild(text(word(theirs, {
      answer: info.answer, comment: info.comment, evidence: info.evidence
    })));
    wrap.appendChild(text(word("not-saved-yours")));
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button button-secondary";
    keep.textContent = word("keep-mine");
    keep.addEventListener("click", function () {
      block.querySelector("[data-revision]").value = info.revision;
      showMessage(block, "conflict", null);   // removes this button: keep the focus at the answer
      var answer = block.querySelector('input[name^="a:"]:checked, input[name^="a:"], textarea');
      if (answer) { answer.focus(); }
      markDirty(block, 0);
    });
    var reload = document.createElement("a");
    reload.href = window.location.href.split("#")[0];
    reload.textContent = word("reload-theirs");
    wrap.appendChild(keep);
    wrap.appendChild(document.createTextNode(" "));
    wrap.appendChild(reload);
    return wrap;
  }

  function updateProgress(progress) {
    if (!progress || !progress.sections) { return; }
    var bar = document.querySelector("[data-progress]");
    if (bar) { bar.max = progress.applicable || 1; bar.value = progress.answered; }
    var percent = document.querySelector("[data-progress-percent]");
    if (percent) { percent.textContent = progress.percent + " %"; }
    var label = document.querySelector('label[for="overall-progress"]');
    if (label && progress.label) { label.textContent = progress.label; }  // the server's words
    Object.keys(progress.sections).forEach(function (id) {
      var entry = document.querySelector('[data-toc="' + CSS.escape(id) + '"]');
      var counts = progress.sections[id];
      if (!entry) { return; }
      var shownBefore = !entry.classList.contains("toc-off");
      if (shownBefore !== counts[2]) { redrawTocEntry(entry, id, counts[2]); }
      var count = entry.querySelector("[data-toc-count]");
      if (count) { count.textContent = (counts[0] === counts[1] ? "✓ " : "") + counts[0] + "/" + counts[1]; }
    });
  }

  /* A profile answer switched a section on or off: show it in the table of contents. */
  function redrawTocEntry(entry, id, shown) {
    var title = entry.querySelector("a, span").textContent;
    entry.textContent = "";
    entry.classList.toggle("toc-off", !shown);
    if (shown) {
      var link = document.createElement("a");
      link.href = autosaveUrl.replace(/sections\/[^/]+\/autosave$/, "sections/" + encodeURIComponent(id));
      link.textContent = title;
      var count = document.createElement("span");
      count.className = "toc-count";
      count.setAttribute("data-toc-count", "");
      entry.appendChild(link);
      entry.appendChild(document.createTextNode(" "));
      entry.appendChild(count);
    } else {
      var label = document.createElement("span");
      label.textContent = title;
      var note = document.createElement("span");
      note.className = "toc-count";
      var toc = entry.closest("[data-does-not-apply]");
      note.textContent = toc ? toc.getAttribute("data-does-not-apply") : "";
      entry.appendChild(label);
      entry.appendChild(document.createTextNode(" "));
      entry.appendChild(note);
    }
  }

  function save() {
    timer = null;
    if (inFlight || !hasDirty()) { return; }
    var sent = {};
    var data = new FormData();
    data.append("csrf_token", csrf);
    Object.keys(dirty).forEach(function (id) {
      var block = form.querySelector('fieldset[data-question="' + CSS.escape(id) + '"]');
      if (!block || block.disabled) { delete dirty[id]; return; }
      sent[id] = dirty[id];
      fieldsOf(block, data);
    });
    if (!Object.keys(sent).length) { return; }
    inFlight = true;
    say(word("saving"), "busy");
    fetch(autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (reply) {
      inFlight = false;
      var body = reply.body;
      Object.keys(sent).forEach(function (id) {
        var block = form.querySelector('fieldset[data-question="' + CSS.escape(id) + '"]');
        var saved = body.saved && body.saved[id];
        if (saved) {
          block.querySelector("[data-revision]").value = saved.revision;
          block.querySelector("[data-fingerprint]").value = saved.fingerprint;
        }
        var problem = body.problems && body.problems[id];
        var conflict = body.conflicts && body.conflicts[id];
        showMessage(block, "errors", problem ? text(problem) : null);
        var field = block.querySelector('input[type=text][name^="a:"], textarea[name^="a:"]');
        if (field && problem) { field.setAttribute("aria-invalid", "true"); }
        if (field && !problem) { field.removeAttribute("aria-invalid"); }
        showMessage(block, "conflict", conflict ? conflictBox(block, conflict) : null);
        // Saved (or unchanged) unless named: one wrong answer does not hold back the others.
        var answered = reply.code === 200 || ((reply.code === 409 || reply.code === 422) && body.saved);
        if (answered && !problem && !conflict && dirty[id] === sent[id]) { delete dirty[id]; }
      });
      if (body && body.progress) { updateProgress(body.progress); }
      if (reply.code === 200) {
        say(hasDirty() ? word("unsaved") : word("saved-at", { time: utcTime() }), hasDirty() ? "dirty" : "ok");
        if (hasDirty()) { schedule(800); }
      } else {
        say(body.message || body.detail || word("not-saved"), "error");
      }
      if (submitAfterSave) { submitNow(); }
    }).catch(function () {
      inFlight = false;
      if (submitAfterSave) { submitNow(); return; }
      say(word("unreachable"), "error");
      schedule(5000);
    });
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  function markDirty(block, delay) {
    var id = block.getAttribute("data-question");
    dirty[id] = (dirty[id] || 0) + 1;
    say(word("unsaved"), "dirty");
    schedule(delay);
  }

  function onEdit(event) {
    var input = event.target;
    var block = questionOf(input);
    if (!block || !input.name) { return; }
    keepExclusive(input);
    applyConditions();
    var typing = input.tagName === "TEXTAREA" || input.type === "text";
    markDirty(block, typing ? 1200 : 300);
  }

  form.addEventListener("change", onEdit);
  form.addEventListener("input", function (event) {
    var t = event.target;
    if (t.tagName === "TEXTAREA" || t.type === "text") { onEdit(event); }
  });
  /* Saving with the buttons posts the whole form. A background save still on its way would
     race it, and the form's revisions would be those from before that save: the server would
     report the officer's own change as a colleague's. So cancel the pending background save,
     and wait for one in flight (its reply updates the revisions) before posting. */
  function submitNow() {
    var button = submitAfterSave;
    submitAfterSave = null;
    submitting = true;
    if (form.requestSubmit) { form.requestSubmit(button || undefined); } else { form.submit(); }
  }

  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (inFlight && !submitting) {
      event.preventDefault();
      submitAfterSave = event.submitter || form.querySelector("button[type=submit]");
      say(word("saving"), "busy");
      return;
    }
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || (!hasDirty() && !inFlight)) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  /* Radios cannot be unticked by hand: offer a button that clears the answer. */
  var groups = form.querySelectorAll("fieldset[data-question] .choices");
  for (var g = 0; g < groups.length; g++) {
    if (!groups[g].querySelector("input[type=radio]")) { continue; }
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "link-button clear-answer";
    clear.textContent = word("clear-answer");
    clear.addEventListener("click", function (event) {
      var block = questionOf(event.target);
      var radios = block.querySelectorAll("input[type=radio]");
      for (var r = 0; r < radios.length; r++) { radios[r].checked = false; }
      applyConditions();
      markDirty(block, 300);
    });
    groups[g].appendChild(clear);
  }

  applyConditions();
  say("", "");
})();
