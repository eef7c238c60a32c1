// order-form.js: keeps the order form's preview up to date while a person
// types. It is an enhancement only: without it, the "Preview the request"
// button shows the same preview with a page load, and every other button
// works by sending the form. It asks the server for the preview (op=preview,
// which saves nothing) so the body shown is the one the server would store,
// built by the same code, never a copy computed here.
(function () {
  "use strict";
  var form = document.querySelector('form[data-testid="order-form"]');
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var timer = null;
  var latest = 0;

  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    body.set("op", "preview");
    var mine = ++latest;
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (resp) {
      return resp.ok ? resp.text() : null;
    }).then(function (html) {
      // An older answer arriving after a newer request is dropped.
      if (html === null || mine !== latest) {
        return;
      }
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector('[data-testid="preview"]');
      if (!fresh) {
        return;
      }
      fresh.setAttribute("data-live", "1");
      var old = document.querySelector('[data-testid="preview"]');
      if (old) {
        old.replaceWith(fresh);
      } else {
        form.parentNode.insertBefore(fresh, form);
      }
    }).catch(function () {
      // The preview button still works; nothing to do.
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
