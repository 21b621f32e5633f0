// The article editor's toolbar: wraps the selection of the body textarea in one of the few tags the
// server keeps (thidua/portal/sanitize.py). No inline handlers: the page's CSP forbids them.
(function () {
  "use strict";
  function surround(area, before, after) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end) || "…";
    area.value = text.slice(0, start) + before + chosen + after + text.slice(end);
    area.focus();
    area.setSelectionRange(start + before.length, start + before.length + chosen.length);
  }
  document.querySelectorAll(".editor-bar").forEach(function (bar) {
    var area = document.getElementById(bar.dataset.target);
    if (!area) { return; }
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.dataset.wrap) {
        var tag = button.dataset.wrap, nl = button.dataset.block ? "\n" : "";
        surround(area, nl + "<" + tag + ">", "</" + tag + ">" + nl);
      } else if (button.dataset.list) {
        var start = area.selectionStart, end = area.selectionEnd;
        var lines = (area.value.slice(start, end) || "…").split(/\n/).filter(function (l) { return l.trim(); });
        var html = "\n<ul>\n" + lines.map(function (l) { return "<li>" + l.trim() + "</li>"; }).join("\n") + "\n</ul>\n";
        area.value = area.value.slice(0, start) + html + area.value.slice(end);
        area.focus();
      } else if (button.dataset.link) {
        var url = window.prompt("Địa chỉ liên kết (https://…)", "https://");
        if (url) { surround(area, '<a href="' + url.replace(/"/g, "") + '">', "</a>"); }
      } else if (button.dataset.insertImage) {
        var select = bar.querySelector("select[data-image]");
        var option = select && select.options[select.selectedIndex];
        if (option) {
          var alt = (option.dataset.alt || "").replace(/"/g, "");
          surround(area, '\n<figure><img src="/anh/' + option.value + '/" alt="' + alt + '"><figcaption>', "</figcaption></figure>\n");
        }
      }
    });
  });
})();
