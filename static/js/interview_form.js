// With JavaScript, add an interviewer card in place instead of a round trip to the server.
(function () {
  "use strict";
  const button = document.querySelector("[data-add-interviewer]");
  const cards = document.getElementById("interviewer-cards");
  const template = document.getElementById("interviewer-template");
  const total = document.getElementById("id_interviewers-TOTAL_FORMS");
  const max = document.getElementById("id_interviewers-MAX_NUM_FORMS");
  if (!button || !cards || !template || !total || !max) return;
  button.addEventListener("click", function (event) {
    const count = parseInt(total.value, 10);
    if (count >= parseInt(max.value, 10)) {
      return; // Let the server explain the limit.
    }
    event.preventDefault();
    const html = template.innerHTML.replace(/__prefix__/g, count).replace(/__num__/g, count + 1);
    cards.insertAdjacentHTML("beforeend", html);
    total.value = count + 1;
    const first = cards.lastElementChild.querySelector("select:not([type=hidden]), input:not([type=hidden])");
    if (first) first.focus();
  });
})();
