/* OneLicense: small progressive enhancements for the application pages. Every page works
   without this file; the rules are always evaluated on the server. */
(function () {
  "use strict";

  // GOV.UK error summary: move focus to it so that screen readers announce it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // A submit button marked data-once is pressed once: a double click sends one request.
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("[data-once]");
    if (!button) { return; }
    if (button.dataset.pressed) { event.preventDefault(); return; }
    button.dataset.pressed = "1";
  });
  window.addEventListener("pageshow", function (event) {  // back from the cache: usable again
    if (!event.persisted) { return; }
    document.querySelectorAll("[data-once]").forEach(function (b) { delete b.dataset.pressed; });
  });

  // Materials: say at once that a file is too large, before it is sent (the server checks too).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var old = input.parentNode.querySelector(".ol-error-message[data-size]");
    if (old) { old.remove(); }
    var file = input.files && input.files[0];
    if (file && file.size > Number(input.dataset.maxBytes)) {
      var message = document.createElement("p");
      message.className = "ol-error-message";
      message.dataset.size = "1";
      message.setAttribute("role", "alert");
      message.textContent = "文件不能超过 10 MB，请压缩后再上传";
      input.parentNode.insertBefore(message, input);
      input.value = "";
    }
  });

  // Questions: on a change, ask the server for the questions and items these answers give,
  // and swap them in. The block the user is in is kept as it is, so nothing typed is lost.
  var form = document.querySelector("form[data-plan-preview]");
  var target = document.getElementById("plan-fragment");
  if (!form || !target || !window.fetch) { return; }
  var status = document.getElementById("plan-status");
  var latest = 0;

  function swap(html) {
    var next = document.createElement("div");
    next.innerHTML = html;
    var oldQuestions = target.querySelector(".ol-questions");
    var newQuestions = next.querySelector(".ol-questions");
    target.querySelector("#items").replaceWith(next.querySelector("#items"));
    var active = document.activeElement;
    var kept = null;
    oldQuestions.querySelectorAll("[data-field]").forEach(function (block) {
      if (block.contains(active)) { kept = block; }
    });
    var twin = kept && newQuestions.querySelector('[data-field="' + kept.dataset.field + '"]');
    if (!twin) {
      oldQuestions.replaceWith(newQuestions);
    } else {
      // Rebuild around the block the user is in without moving it, so it keeps the focus.
      var wanted = Array.prototype.slice.call(newQuestions.children);
      Array.prototype.slice.call(oldQuestions.children).forEach(function (child) {
        if (child !== kept) { child.remove(); }
      });
      var before = true;
      wanted.forEach(function (node) {
        if (node === twin) { before = false; return; }
        if (before) { oldQuestions.insertBefore(node, kept); } else { oldQuestions.appendChild(node); }
      });
    }
    var items = target.querySelector("[data-item-count]");
    if (status && items) {
      status.textContent = "需要办理的事项已更新：" + items.dataset.itemCount + " 项";
    }
    target.querySelectorAll("[data-plan-update]").forEach(function (el) { el.hidden = true; });
  }

  function refresh() {
    var query = new URLSearchParams(new FormData(form));
    query.delete("csrfmiddlewaretoken");
    var ticket = ++latest;
    fetch(form.dataset.planPreview + "?" + query.toString(), {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && ticket === latest) { swap(html); }
    }).catch(function () { /* the 更新 button still works */ });
  }

  target.querySelectorAll("[data-plan-update]").forEach(function (el) { el.hidden = true; });
  form.addEventListener("change", refresh);
})();
