// Filters the event list as you type: every word must appear in an event's name, source,
// description or field names. `index.html?q=words` opens the list filtered.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  var sources = Array.prototype.slice.call(document.querySelectorAll("section.source"));
  var count = document.getElementById("count");
  var none = document.getElementById("no-match");

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    events.forEach(function (item) {
      var text = item.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) shown += 1;
    });
    sources.forEach(function (section) {
      section.hidden = !section.querySelector("li.event:not([hidden])");
    });
    count.textContent = shown + " of " + events.length + " events";
    none.hidden = shown !== 0;
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) input.value = query;
  input.addEventListener("input", apply);
  apply();
})();
