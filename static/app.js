// podclaims: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUp(root) {
    root.querySelectorAll("button.copy-link[data-copy-from]").forEach(function (button) {
      if (button.dataset.ready) { return; }
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copyFrom);
        var status = button.closest(".share").querySelector(".copy-status");
        copyText(source.value).then(function () {
          status.textContent = "已复制链接";
        }, function () {
          source.select();
          status.textContent = "请按 Ctrl+C 复制";
        });
      });
    });
  }

  // "/" focuses the search box, as on many search sites.
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && box && tag !== "input" && tag !== "textarea" && !event.metaKey && !event.ctrlKey) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Keep the search box in step with the URL after back/forward (htmx restores the page from the server).
  document.addEventListener("htmx:historyRestore", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
})();
