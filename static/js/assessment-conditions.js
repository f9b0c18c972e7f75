// Shows or hides a theme page's conditional questions as soon as the answer they depend on
// changes. The server still decides on save: it ignores answers to questions it hides.
(function () {
  "use strict";
  var form = document.querySelector("form[data-cdr-conditions]");
  if (!form) {
    return;
  }

  function valuesOf(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.value);
        }
      } else if (input.value.trim() !== "") {
        var number = Number(input.value.trim());
        values.push(isNaN(number) ? input.value.trim() : String(number));
      }
    });
    return values;
  }

  function update() {
    // In document order, so a question depending on a hidden question is hidden too.
    form.querySelectorAll("[data-condition-question]").forEach(function (block) {
      var parentName = block.getAttribute("data-condition-question");
      var wanted = JSON.parse(block.getAttribute("data-condition-values") || "[]");
      var parentBlock = document.getElementById("question-" + parentName.slice(1));
      var parentShown = !parentBlock || !parentBlock.hidden;
      block.hidden = !(
        parentShown &&
        valuesOf(parentName).some(function (value) {
          return wanted.indexOf(value) !== -1;
        })
      );
    });
  }

  form.addEventListener("change", update);
})();
