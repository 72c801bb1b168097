/*
 * Wagtail counts each tab's errors (the red number on "Content") when the
 * editor loads, before StreamField draws its blocks and their errors in
 * the browser (wagtail/wagtail#12823): a publish the gate refuses marks
 * its passages but the tab does not count them. Count again each time a
 * block's panel is set up (the event Wagtail's own "Go to the first error"
 * button counts on), and once the page has loaded.
 */
(function () {
  "use strict";

  var timer = null;

  function recount() {
    var app = window.wagtail && window.wagtail.app;
    if (!app) {
      return;
    }
    document
      .querySelectorAll('.w-tabs__errors[data-controller~="w-count"]')
      .forEach(function (badge) {
        var counter = app.getControllerForElementAndIdentifier(badge, "w-count");
        if (counter) {
          counter.count();
        }
      });
  }

  function recountSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(recount, 50);
  }

  document.addEventListener("wagtail:panel-init", recountSoon);
  window.addEventListener("load", recountSoon);
})();
