/* port-assess: "Print" buttons (button[data-print], hidden in the page). A button that does
   nothing without JavaScript would mislead, so the page ships it hidden and this script shows
   it; a click opens the browser's print dialogue, and the page's print rules (app.css) decide
   what the paper shows. A file of its own: the Content-Security-Policy allows no inline
   script. */
(function () {
  "use strict";

  var buttons = document.querySelectorAll("button[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
