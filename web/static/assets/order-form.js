// order-form.js: keeps the order form's preview up to date while a person
// types. It is an enhancement only: without it, the "Preview the request"
// button shows the same preview with a page load, and every other button
// works by sending the form. It asks the server for the preview (op=preview,
// which saves nothing) so the body shown is the one the server would store,
// built by the same code, never a copy computed here.
//
// A WAF entry whose preset (edition, deployment, kind or where it is sold)
// changed is redrawn from the same answer: the server's preset rule has
// filled its codes, note and labels, so the codes update at once and the
// note never names a preset the selects no longer show. Without the script
// "Apply preset" (or any button) does the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector('form[data-testid="order-form"]');
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var timer = null;
  var latest = 0;
  // Parts to redraw from the next answer, by element id: WAF rows whose
  // preset changed ("g0-row") and Billing's zone choice when the region did.
  var presetChanged = {};
  var presetField = /^g(\d+)-(edition|flavor|kind|RegionId)$/;
  // Until a field is marked (changed and left), the preview shows no
  // refusal: a half-typed form is not yet wrong.
  var marked = false;

  // redrawRows swaps the changed rows for the server's, keeping the focus
  // and which "Advanced" parts are open.
  function redrawRows(doc, rows) {
    Object.keys(rows).forEach(function (id) {
      var old = document.getElementById(id);
      var fresh = doc.getElementById(id);
      if (!old || !fresh) {
        return;
      }
      var focusID = document.activeElement && old.contains(document.activeElement) ? document.activeElement.id : "";
      var open = {};
      old.querySelectorAll("details").forEach(function (d) {
        open[d.getAttribute("data-testid")] = d.open;
      });
      fresh.querySelectorAll("details").forEach(function (d) {
        var k = d.getAttribute("data-testid");
        if (k in open) {
          d.open = open[k] || d.open;
        }
      });
      old.replaceWith(fresh);
      if (focusID && document.getElementById(focusID)) {
        document.getElementById(focusID).focus();
      }
    });
  }

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
      var doc = new DOMParser().parseFromString(html, "text/html");
      // Only the latest answer gets here: it holds every change so far.
      redrawRows(doc, presetChanged);
      presetChanged = {};
      var fresh = doc.querySelector('[data-testid="preview"]');
      if (!fresh) {
        return;
      }
      fresh.setAttribute("data-live", "1");
      if (!marked) {
        fresh.querySelectorAll('[data-testid="preview-refused"]').forEach(function (e) {
          e.remove();
        });
      }
      var old = document.querySelector('[data-testid="preview"]');
      var slot = document.getElementById("live-preview");
      if (old) {
        old.replaceWith(fresh);
      } else if (slot) {
        // Below the form: the fields being edited do not move.
        slot.appendChild(fresh);
      } else {
        form.parentNode.insertBefore(fresh, form.nextSibling);
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
  form.addEventListener("change", function (e) {
    marked = true;
    var m = e.target && e.target.id ? presetField.exec(e.target.id) : null;
    if (m) {
      presetChanged["g" + m[1] + "-row"] = true;
    }
    if (e.target && (e.target.id === "RegionPick" || e.target.id === "RegionCode")) {
      presetChanged["zone-choice"] = true;
    }
    soon();
  });
})();
