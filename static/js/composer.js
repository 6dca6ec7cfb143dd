// The composer: autosave after typing stops, re-fill from a template, insert notes, copy the text.
// Everything here is an extra: without JavaScript the Save and Send buttons post the form.
(function () {
  "use strict";
  var form = document.getElementById("composer-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var checklist = document.getElementById("checklist");
  var subject = form.querySelector("[name=subject]");
  var body = form.querySelector("[name=body]");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var dirty = false;
  var timer = null;
  var saving = false;
  var DELAY_MS = 2000;

  function say(text) { if (status) status.textContent = text; }

  function fullText() {
    var text = body ? body.value : "";
    return subject && subject.type !== "hidden" && subject.value ? subject.value + "\n\n" + text : text;
  }

  function autosave() {
    if (saving) { timer = setTimeout(autosave, DELAY_MS); return; }
    saving = true;
    var data = new FormData(form);
    data.set("action", "save");
    say("Saving…");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      })
      .then(function (result) {
        if (result.ok && result.json.saved) {
          dirty = false;
          form.dataset.edited = "true";
          say("Saved " + result.json.saved_at);
          if (checklist && result.json.checklist) checklist.innerHTML = result.json.checklist;
          // The mail-program links follow the saved text.
          var mailto = document.getElementById("mailto-link");
          var eml = document.getElementById("eml-link");
          var needsSave = document.getElementById("needs-save");
          if (mailto && result.json.mailto) { mailto.href = result.json.mailto; mailto.hidden = false; }
          if (eml && result.json.eml) { eml.href = result.json.eml; eml.hidden = false; }
          if (needsSave) needsSave.hidden = true;
          if (result.json.url && result.json.url !== form.dataset.autosaveUrl) {
            // The first save created the draft: later saves and buttons go to it.
            form.dataset.autosaveUrl = result.json.url;
            form.action = result.json.url;
            window.history.replaceState(null, "", result.json.url);
          }
        } else {
          var errors = result.json.errors || {};
          var first = Object.keys(errors).map(function (k) { return errors[k][0].message; })[0];
          say("Not saved: " + (first || "this message can no longer be edited."));
        }
      })
      .catch(function () { say("Not saved: no connection. Your text is still here; press Save draft."); })
      .finally(function () { saving = false; });
  }

  form.addEventListener("input", function () {
    dirty = true;
    form.dataset.edited = "true";
    say("Editing…");
    clearTimeout(timer);
    timer = setTimeout(autosave, DELAY_MS);
  });
  form.addEventListener("submit", function () { clearTimeout(timer); });

  // Choosing another template re-fills the draft; ask first if that would replace edits.
  var pick = document.querySelector("form.template-pick");
  if (pick) {
    var select = pick.querySelector("select");
    var previous = select.value;
    select.addEventListener("change", function () {
      if (form.dataset.edited === "true" &&
          !window.confirm("Replace your text with this template? Your edits will be lost.")) {
        select.value = previous;
        return;
      }
      pick.submit();
    });
  }

  // Notes beside the draft: Insert puts one into the message. It replaces the selection, or
  // the [blank] the cursor is in; before the user has clicked into the message, it takes the
  // place of the first blank it fills, else it goes at the end. Without JavaScript the notes
  // are plain text to copy.
  var placed = false;
  if (body) {
    ["focus", "click", "keyup", "select"].forEach(function (name) {
      body.addEventListener(name, function () { placed = true; });
    });
  }

  function blankAround(text, at) {
    var open = text.lastIndexOf("[", at);
    var close = text.indexOf("]", at);
    if (open < 0 || close < 0 || close - open > 120) return null;
    var inner = text.slice(open + 1, close);
    if (inner.indexOf("[") >= 0 || inner.indexOf("\n") >= 0 || text.lastIndexOf("]", at - 1) > open) return null;
    return { start: open, end: close + 1 };
  }

  function insertSnippet(snippet, fills) {
    var text = body.value;
    var start = body.selectionStart;
    var end = body.selectionEnd;
    if (!placed) {
      var at = fills ? text.indexOf(fills) : -1;
      start = at >= 0 ? at : text.length;
      end = at >= 0 ? at + fills.length : text.length;
    } else if (start === end) {
      var blank = blankAround(text, start);
      if (blank) { start = blank.start; end = blank.end; }
    }
    body.focus();
    body.setRangeText(snippet, start, end, "end");
    placed = true;
    // Autosave and the checklist follow, as after typing.
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll("[data-snippet]").forEach(function (button) {
    if (!body) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      insertSnippet(button.dataset.snippet, button.dataset.fills || "");
    });
  });
  document.querySelectorAll("[data-snippet-help]").forEach(function (help) { help.hidden = false; });

  // Copy text: the clipboard when allowed, else open the fallback box with the text selected.
  document.querySelectorAll("[data-copy-text]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { button.textContent = "Copied"; };
      var fallback = function () {
        var details = document.getElementById("copy-fallback");
        if (!details) return;
        details.open = true;
        var area = details.querySelector("textarea");
        area.value = fullText();
        area.focus();
        area.select();
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(fullText()).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();
