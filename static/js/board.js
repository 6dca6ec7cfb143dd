// The dashboard's board: drag a card to another column to change its stage.
//
// A drop fills in the card's own "Move to" form and submits it; htmx posts it and swaps the
// board with the server's answer, so a drag, the menu and the plain form (no JavaScript)
// all go through the same URL and the same checks. A refused move puts the card back and
// says why in the status line.
//
// Each column shows its first cards; "Show all" swaps in the whole column (htmx), and the
// Closed section reads its cards when first opened. A move names the columns shown in full
// ("shown"), so the board that comes back shows them so again.
(function () {
  "use strict";

  function status(text) {
    var region = document.getElementById("board-status");
    if (region) {
      region.textContent = text;
    }
  }

  function moveCard(event) {
    var card = event.item;
    var stage = event.to.getAttribute("data-stage");
    if (event.from === event.to || !stage) {
      return;
    }
    var form = card.querySelector("form.board-move");
    var select = form && form.querySelector("select[name=stage]");
    if (!select) {
      return;
    }
    card.setAttribute("data-return-index", String(event.oldIndex));
    card.setAttribute("data-return-stage", event.from.getAttribute("data-stage"));
    select.value = stage;
    form.requestSubmit();
  }

  function putBack(card) {
    var stage = card.getAttribute("data-return-stage");
    var list = stage && document.querySelector('.board-list[data-stage="' + stage + '"]');
    if (!list) {
      return;
    }
    var index = parseInt(card.getAttribute("data-return-index"), 10) || 0;
    list.insertBefore(card, list.children[index] || null);
    var select = card.querySelector("select[name=stage]");
    if (select) {
      select.value = stage;
    }
  }

  function initBoard(root) {
    var lists = root.querySelectorAll ? root.querySelectorAll(".board-list") : [];
    Array.prototype.forEach.call(lists, function (list) {
      if (list.getAttribute("data-sortable") === "on") {
        return;
      }
      list.setAttribute("data-sortable", "on");
      window.Sortable.create(list, {
        group: "board",
        animation: 150,
        // On a touch screen a card moves only after a long press, so the page still scrolls.
        delay: 250,
        delayOnTouchOnly: true,
        // Controls inside a card keep their own clicks and taps.
        filter: "select, button, input, label",
        preventOnFilter: false,
        ghostClass: "board-card-ghost",
        onEnd: moveCard,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var hint = document.querySelector("[data-board-hint]");
    if (hint) {
      hint.classList.remove("d-none");
    }
  });

  // Whether the folded Closed list was open before a swap, to keep it so after.
  var closedWasOpen = false;
  // After "Show all": the index of the first card it added, to put the keyboard there.
  var firstNewCard = null;

  function shownColumns() {
    var shown = document.querySelectorAll('#board [data-shown="all"][data-column]');
    return Array.prototype.map
      .call(shown, function (element) {
        return element.getAttribute("data-column");
      })
      .join(" ");
  }

  htmx.onLoad(function (element) {
    initBoard(element);
    if (firstNewCard !== null && element.classList && element.classList.contains("board-column")) {
      var cards = element.querySelectorAll(".board-card .board-card-title");
      var first = cards[firstNewCard];
      firstNewCard = null;
      if (first && document.activeElement === document.body) {
        first.focus();
      }
    }
    if (element.id === "board" && closedWasOpen) {
      var closed = element.querySelector("details.board-closed");
      if (closed) {
        closed.open = true;
      }
    }
    var error = document.getElementById("board-error");
    if (error && element.id === "board") {
      error.classList.add("d-none");
    }
    // After a move, keep the keyboard where it was: on the moved card's menu.
    var board = element.closest ? element.closest("[data-moved]") : null;
    var moved = board && board.getAttribute("data-moved");
    if (moved && element === board) {
      var select = document.getElementById("stage-" + moved);
      if (select && document.activeElement === document.body) {
        select.focus();
      }
    }
  });

  // A move sends the columns shown in full, so that they come back in full.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("board-move")) {
      event.detail.parameters.shown = shownColumns();
    }
  });

  // htmx carries attributes of the old elements over to the new ones with the same id while
  // it settles; SortableJS leaves (empty) style attributes on what it moved, and copying a
  // style attribute is inline style that the Content-Security-Policy refuses. Drop them,
  // from the board or the column ("Show all") about to be swapped.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList) {
      return;
    }
    var column = target.classList.contains("board-column");
    if (column) {
      firstNewCard = target.contains(document.activeElement)
        ? target.querySelectorAll(".board-card").length
        : null;
    }
    if (target.id === "board") {
      var closed = target.querySelector("details.board-closed");
      closedWasOpen = Boolean(closed && closed.open);
    }
    if (column || target.id === "board" || target.classList.contains("board-closed-body")) {
      Array.prototype.forEach.call(target.querySelectorAll("[style]"), function (element) {
        element.removeAttribute("style");
      });
    }
  });

  function refused(event) {
    var form = event.detail.elt;
    if (!form || !form.classList || !form.classList.contains("board-move")) {
      return;
    }
    var card = form.closest(".board-card");
    var message =
      event.type === "htmx:sendError"
        ? "Followup could not be reached: the card is back where it was. Try again."
        : event.detail.xhr.responseText || "That move did not work.";
    if (card && card.hasAttribute("data-return-stage")) {
      putBack(card);
    }
    var error = document.getElementById("board-error");
    if (error) {
      error.textContent = message;
      error.classList.remove("d-none");
    }
    status(message);
  }

  document.body.addEventListener("htmx:responseError", refused);
  document.body.addEventListener("htmx:sendError", refused);
})();
