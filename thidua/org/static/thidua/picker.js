// The people and unit picker (thidua/org/widgets.py): choosing a search result, removing a choice.
// No inline script: the page loads this file with `defer`; events are delegated from the document.
(function () {
  "use strict";

  function chip(picker, value, label, detail) {
    var name = picker.getAttribute("data-name");
    var li = document.createElement("li");
    li.className = "picker-chip";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    var text = document.createElement("span");
    text.className = "picker-label";
    text.textContent = label;
    var small = document.createElement("span");
    small.className = "muted small";
    small.textContent = detail;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "picker-remove linkbtn";
    remove.setAttribute("aria-label", "Bỏ " + label);
    remove.textContent = "×";
    li.append(input, text, " ", small, " ", remove);
    return li;
  }

  function emptyInput(picker) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = picker.getAttribute("data-name");
    input.value = "";
    input.setAttribute("data-picker-empty", "");
    return input;
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest(".picker-option");
    if (option) {
      var picker = option.closest("[data-picker]");
      var chosen = picker.querySelector(".picker-chosen");
      var value = option.getAttribute("data-value");
      var multiple = picker.getAttribute("data-multiple") === "1";
      if (!multiple) {
        chosen.replaceChildren();
        var empty = picker.querySelector("[data-picker-empty]");
        if (empty) empty.remove();
      }
      if (!chosen.querySelector('input[value="' + value + '"]')) {
        chosen.append(chip(picker, value, option.getAttribute("data-label"), option.getAttribute("data-detail")));
      }
      picker.querySelector(".picker-results").replaceChildren();
      picker.dispatchEvent(new Event("change", { bubbles: true })); // a filter form refreshes its list
      var box = picker.querySelector(".picker-q");
      box.value = "";
      box.focus();
      return;
    }
    var remove = event.target.closest(".picker-remove");
    if (remove) {
      var owner = remove.closest("[data-picker]");
      remove.closest(".picker-chip").remove();
      if (owner.getAttribute("data-multiple") !== "1" && !owner.querySelector(".picker-chip")) {
        owner.querySelector(".picker-chosen").after(emptyInput(owner));
      }
      owner.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // Enter in the search box picks the first result instead of submitting the form; arrows move.
  document.addEventListener("keydown", function (event) {
    var box = event.target.closest && event.target.closest(".picker-q, .picker-option");
    if (!box) return;
    var picker = box.closest("[data-picker]");
    var options = Array.prototype.slice.call(picker.querySelectorAll(".picker-option"));
    if (event.key === "Enter" && box.classList.contains("picker-q")) {
      event.preventDefault();
      if (options.length) options[0].click();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      var index = options.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? index + 1 : index - 1;
      if (next < 0) { picker.querySelector(".picker-q").focus(); return; }
      options[Math.min(next, options.length - 1)].focus();
    } else if (event.key === "Escape") {
      picker.querySelector(".picker-results").replaceChildren();
    }
  });
})();
