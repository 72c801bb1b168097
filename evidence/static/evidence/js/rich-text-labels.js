/*
 * Wagtail's rich text editor (Draftail) gives its editable area the role
 * "textbox" without an accessible name: a screen reader announces an
 * unnamed text box for every paragraph of an article, and axe reports
 * "ARIA input fields must have an accessible name". Name each one by the
 * label of the field it belongs to ("Text", "Standfirst"...), including
 * the editors StreamField adds as blocks are added.
 */
(function () {
  "use strict";

  var count = 0;

  function nameEditors() {
    var boxes = document.querySelectorAll(
      '[contenteditable="true"][role="textbox"]:not([aria-label]):not([aria-labelledby])'
    );
    boxes.forEach(function (box) {
      var label = labelOf(box);
      if (label) {
        if (!label.id) {
          count += 1;
          label.id = "rich-text-label-" + count;
        }
        box.setAttribute("aria-labelledby", label.id);
      } else {
        box.setAttribute("aria-label", "Rich text");
      }
    });
  }

  // The field's label: a <label> inside the field's wrapper, or (in a
  // StreamField block, which renders it beside the wrapper) the block
  // child's label, or the label for the hidden input that carries the
  // editor's content.
  function labelOf(box) {
    var wrapper = box.closest("[data-field-wrapper]") || box.closest(".w-field");
    if (!wrapper) {
      return null;
    }
    var label = wrapper.querySelector("label, .w-field__label");
    if (label) {
      return label;
    }
    var holder = wrapper.parentElement;
    label =
      holder && holder.querySelector(":scope > label, :scope > .w-field__label");
    if (label) {
      return label;
    }
    var input = wrapper.querySelector("input[type=hidden][id]");
    if (!input) {
      return null;
    }
    return (
      document.querySelector('label[for="' + input.id + '"]') ||
      document.getElementById(input.id + "-label")
    );
  }

  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameEditors();
      });
    }
  }

  function start() {
    nameEditors();
    new MutationObserver(schedule).observe(document.body, {
      childList: true,
      subtree: true,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
