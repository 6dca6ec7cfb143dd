// Small behaviours any page may use, wired by data attributes: the Content-Security-Policy
// allows no inline script or event handler, so markup only declares what it wants.
(function () {
  "use strict";
  // <input data-select-on-focus>: select the whole value on focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });

  // The follow-up panel's "Log what happened": <form data-log-picker="SLOT-ID" hx-get ...>
  // whose submit buttons (name="what") each load one form into the element SLOT-ID (htmx).
  // aria-expanded on the buttons says which form is open; pressing the open one's button,
  // or the form's [data-log-cancel], closes it. Without JavaScript the same buttons open the
  // form on a page of its own.
  function pickerOf(slot) {
    return slot && slot.id ? document.querySelector('[data-log-picker="' + slot.id + '"]') : null;
  }

  function showOpen(picker, what) {
    var buttons = picker.querySelectorAll("button[name=what]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-expanded", String(button.value === what));
    });
  }

  function closeLog(picker) {
    var slot = document.getElementById(picker.getAttribute("data-log-picker"));
    var open = picker.querySelector('button[name=what][aria-expanded="true"]');
    if (slot) {
      slot.replaceChildren();
    }
    showOpen(picker, null);
    if (open) {
      open.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var button = target && target.closest("[data-log-picker] button[name=what]");
    if (button && button.getAttribute("aria-expanded") === "true") {
      // Its form is open: close it instead of loading it again.
      event.preventDefault();
      closeLog(button.closest("[data-log-picker]"));
      return;
    }
    var cancel = target && target.closest("[data-log-cancel]");
    var form = cancel && cancel.closest("form[data-what]");
    var picker = form && pickerOf(form.parentElement);
    if (picker) {
      event.preventDefault();
      closeLog(picker);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var slot = event.detail.target;
    var picker = pickerOf(slot);
    if (!picker) {
      return;
    }
    var form = slot.querySelector("form[data-what]");
    showOpen(picker, form && form.getAttribute("data-what"));
    var first = form && form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  });

  // The form could not be loaded in place: open its own page, which says what went wrong.
  function loadFailed(event) {
    var picker = event.detail.elt;
    if (picker && picker.hasAttribute && picker.hasAttribute("data-log-picker")) {
      window.location.assign(event.detail.pathInfo.finalRequestPath);
    }
  }
  document.addEventListener("htmx:responseError", loadFailed);
  document.addEventListener("htmx:sendError", loadFailed);
})();
