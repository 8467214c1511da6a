/* Small enhancements for consultation pages; every page works without them.
 *
 * - Results page: subscribe to the conversation's event stream, which sends only the number of
 *   the newest opinion map; when it differs from the one shown, fetch the results fragment
 *   (the same scoped page, ?fragment=1) and swap it in. EventSource reconnects on its own when
 *   the server ends the stream.
 * - Voting card: the keys A, D and P press Agree, Disagree and Pass (not while typing).
 */
(function () {
  "use strict";

  function followResults(container) {
    var status = document.querySelector("[data-live-status]");
    var fetching = false;

    function shownVersion() {
      var results = container.querySelector("[data-version]");
      return results ? Number(results.getAttribute("data-version")) : 0;
    }

    function refresh(version) {
      if (fetching || version === shownVersion()) return;
      fetching = true;
      fetch(container.getAttribute("data-fragment"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("results: " + response.status);
          return response.text();
        })
        .then(function (html) {
          container.innerHTML = html;
          if (status) status.textContent = "The results were updated.";
        })
        .catch(function () { /* the next event tries again */ })
        .then(function () { fetching = false; });
    }

    if (!window.EventSource) return;
    var source = new EventSource(container.getAttribute("data-events"));
    source.addEventListener("results", function (event) {
      try {
        refresh(Number(JSON.parse(event.data).version));
      } catch (error) { /* a malformed event changes nothing */ }
    });
  }

  function voteWithKeys(form) {
    var hint = form.querySelector(".vote-keys");
    if (hint) hint.hidden = false;
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
      var target = event.target;
      var typing = target && (target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing) return;
      var button = form.querySelector('button[data-key="' + event.key.toLowerCase() + '"]');
      if (!button) return;
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(button); else button.click();
    });
  }

  var live = document.querySelector("[data-live-results]");
  if (live) followResults(live);
  var card = document.querySelector("[data-vote-form]");
  if (card) voteWithKeys(card);
})();
