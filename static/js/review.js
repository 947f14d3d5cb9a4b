// Review queue keys: c confirm, x correct, s skip, u undo, n focus the note. Forms post normally (CSRF included).
(function () {
  "use strict";
  var sent = false;
  function submit(form, button) {
    if (sent || !form || (button && button.disabled)) return;
    sent = true;  // one key press, one decision: ignore repeats while the page reloads
    if (form.requestSubmit) { form.requestSubmit(button || undefined); } else if (button) { button.click(); } else { form.submit(); }
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (typing) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var decide = document.getElementById("decide-form");
    var keys = { c: "btn-confirm", x: "btn-correct", s: "btn-skip" };
    if (keys[event.key] && decide) {
      event.preventDefault();
      submit(decide, document.getElementById(keys[event.key]));
    } else if (event.key === "u") {
      event.preventDefault();
      submit(document.getElementById("undo-form"), document.getElementById("btn-undo"));
    } else if (event.key === "n") {
      var note = document.getElementById("id_note");
      if (note) { event.preventDefault(); note.focus(); }
    }
  });
})();
