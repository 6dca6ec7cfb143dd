// Time reminders in the browser's own zone from the start; it can be changed in settings.
(function () {
  "use strict";
  var field = document.getElementById("id_timezone");
  try {
    if (field && !field.value) field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) { /* an old browser: the account starts on UTC */ }
})();
