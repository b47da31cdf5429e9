// Optional niceties; every page works without them.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  var field = form && form.querySelector(".comment-form__reply-to");
  var note = form && form.querySelector(".comment-form__replying");

  function replyTo(id, name) {
    if (!field) return;
    field.value = id || "";
    note.hidden = !id;
    note.querySelector(".comment-form__replying-name").textContent = name || "";
    if (id) {
      form.scrollIntoView({ block: "start" });
      form.querySelector("textarea").focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-reply-to]");
    if (link && field) {
      event.preventDefault();
      replyTo(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-name"));
      return;
    }
    var copy = event.target.closest && event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      event.preventDefault();
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        copy.textContent = copy.getAttribute("data-copied");
      });
    }
  });

  var cancel = form && form.querySelector(".comment-form__cancel");
  if (cancel) cancel.addEventListener("click", function () { replyTo("", ""); });

  var wanted = new URLSearchParams(location.search).get("reply_to");
  if (wanted && field) {
    var target = document.querySelector('[data-reply-to="' + CSS.escape(wanted) + '"]');
    if (target) replyTo(wanted, target.getAttribute("data-reply-name"));
  }

  // The ask page opened from a rubric's P. S.: that rubric chosen.
  var rubric = document.getElementById("ask-rubric");
  var chosen = new URLSearchParams(location.search).get("rubric");
  if (rubric && chosen && rubric.querySelector('option[value="' + CSS.escape(chosen) + '"]')) {
    rubric.value = chosen;
  }
})();
