// Search inside a table on the page: <input type="search" data-table-search="#table-id">.
// Rows whose text does not contain the words typed (with or without Vietnamese marks) are hidden;
// they stay in the form, so a grid saves every row whatever is shown.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function bind(input) {
    var table = document.querySelector(input.getAttribute("data-table-search"));
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) { return fold(row.textContent || ""); });
    var counter = document.querySelector(input.getAttribute("data-table-count") || "#none");
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (counter) { counter.textContent = words.length ? shown + "/" + rows.length : ""; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-table-search]").forEach(bind);
  });
})();
