// The search page: queries Pagefind's index (written by the build under /pagefind/) and shows
// each advice found with its date, rubric and an excerpt. Without JavaScript the page explains
// itself, so nothing here is needed to read the column.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var text = root.dataset;
  var form = root.querySelector(".search__form");
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = root.querySelector(".search__status");
  var list = root.querySelector(".search__results");
  var more = root.querySelector(".search__more");
  var PAGE = 10;
  var loading = null;
  var found = [];
  var shown = 0;
  var ticket = 0;
  var timer = 0;

  // A long column's index comes in parts (pagefind/2/, pagefind/3/...), merged into one.
  function parts() {
    return (text.parts || "").split(" ").filter(Boolean);
  }

  function load() {
    if (!loading) {
      loading = import(text.bundle + "pagefind.js").then(function (pagefind) {
        return pagefind
          .options({ baseUrl: text.base, excerptLength: 30 })
          .then(function () {
            return Promise.all(parts().map(function (part) {
              return pagefind.mergeIndex(part, { baseUrl: text.base });
            }));
          })
          .then(function () {
            return pagefind;
          });
      });
    }
    return loading;
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.getAttribute("data-filter")] = select.value;
    });
    return filters;
  }

  function remember(query, filters) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(filters).forEach(function (key) { params.set(key, filters[key]); });
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  // The indexed text starts with the advice's title, which the result shows as its heading;
  // the excerpt is taken from what follows (the letter, the answer, the discussion): around
  // the first word matched there, or the letter's first words when only the title matched.
  // Words are split as Pagefind splits them, so its word locations point into them. Built
  // from text nodes and <mark>s only: nothing in the index can become markup here.
  var EXCERPT = 30;
  function words(textValue) {
    var value = textValue || "";
    return value.indexOf("\u200B") >= 0 ? value.split("\u200B") : value.split(/[\r\n\s]+/g);
  }

  function excerpt(target, data) {
    var all = words(data.content);
    var title = words((data.meta && data.meta.title) || "").filter(Boolean).length;
    var marked = {};
    var first = -1;
    (data.locations || []).forEach(function (at) {
      if (at < title) return;
      marked[at] = true;
      if (first < 0 || at < first) first = at;
    });
    var start = first < 0 ? title : Math.max(title, first - Math.floor(EXCERPT / 4));
    var end = Math.min(all.length, start + EXCERPT);
    if (start > title) target.appendChild(document.createTextNode("… "));
    for (var at = start; at < end; at++) {
      if (at > start) target.appendChild(document.createTextNode(" "));
      if (marked[at]) {
        var mark = document.createElement("mark");
        mark.textContent = all[at];
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(all[at]));
      }
    }
    if (end < all.length) target.appendChild(document.createTextNode(" …"));
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    var title = document.createElement("h2");
    title.className = "search-result__title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    title.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "search-result__meta";
    var parts = [];
    if (data.meta && data.meta.date) parts.push(data.meta.date);
    if (data.filters && data.filters.rubric) parts.push(data.filters.rubric.join(", "));
    meta.textContent = parts.join(" · ");
    var body = document.createElement("p");
    body.className = "search-result__excerpt";
    excerpt(body, data);
    li.appendChild(title);
    li.appendChild(meta);
    li.appendChild(body);
    return li;
  }

  function showMore() {
    var mine = ticket;
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (all) {
      if (mine !== ticket) return;
      all.forEach(function (data) { list.appendChild(item(data)); });
      more.hidden = shown >= found.length;
    });
  }

  function run() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var mine = ++ticket;
    remember(query, filters);
    if (!query && !Object.keys(filters).length) {
      found = [];
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = text.searching;
    return load()
      .then(function (pagefind) {
        // Each part of a split index holds every word of the column in one record (so
        // that no part falls back to a shorter word on its own): never a result.
        if (parts().length) filters.not = { kind: "words" };
        return pagefind.search(query || null, { filters: filters });
      })
      .then(
        function (search) {
          if (mine !== ticket) return;
          found = search.results;
          shown = 0;
          list.textContent = "";
          status.textContent = found.length ? text.found.replace("{n}", found.length) : text.nothing;
          return showMore();
        },
        function () {
          if (mine === ticket) status.textContent = text.unavailable;
        }
      );
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  form.hidden = false;
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (select) {
    var wanted = params.get(select.getAttribute("data-filter"));
    if (wanted) select.value = wanted;
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", later);
  selects.forEach(function (select) { select.addEventListener("change", run); });
  more.addEventListener("click", showMore);
  if (input.value || Object.keys(chosenFilters()).length) run();
})();
