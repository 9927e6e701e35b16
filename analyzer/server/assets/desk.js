// The reviewer's desk: the little script its pages use, served from the binary (the
// Content-Security-Policy allows no inline script). Every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The decision form: the expiry date matters only for a suppression.
  var form = document.getElementById("decision-form");
  if (form) {
    var expires = document.getElementById("expires-label");
    var update = function () {
      var chosen = form.querySelector("input[name=decision]:checked");
      expires.hidden = !chosen || chosen.value !== "suppressed";
    };
    form.querySelectorAll("input[name=decision]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }
  // The screening form: choosing a bundled request clears a chosen file, and back.
  var file = document.getElementById("request-file");
  var bundled = document.getElementById("bundled");
  if (file && bundled) {
    file.addEventListener("change", function () { if (file.value) bundled.value = ""; });
    bundled.addEventListener("change", function () { if (bundled.value) file.value = ""; });
  }
});
