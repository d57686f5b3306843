// Lumen admin: every htmx request carries the App Bridge session token.
// App Bridge adds it to fetch() only; htmx uses XMLHttpRequest, so each request waits for
// shopify.idToken() (App Bridge caches it and renews it when it is about to expire).
(function () {
  "use strict";

  let pendingToken = null;

  function appBridge() {
    return window.shopify && typeof window.shopify.idToken === "function" ? window.shopify : null;
  }

  document.addEventListener("htmx:confirm", function (event) {
    const shopify = appBridge();
    if (!shopify) {
      return; // lumen demo outside Shopify: the development login cookie authenticates.
    }
    event.preventDefault();
    shopify.idToken().then(function (token) {
      pendingToken = token;
      // false keeps any hx-confirm question; htmx does not fire htmx:confirm again.
      event.detail.issueRequest(false);
    }, function () {
      window.location.reload();
    });
  });

  document.addEventListener("htmx:configRequest", function (event) {
    // Filter forms leave empty fields out, so the pushed URL names only the filters in use.
    if (event.detail.verb === "get" && event.detail.elt.closest("form[data-drop-empty]")) {
      const parameters = event.detail.parameters;
      for (const name of Array.from(parameters.keys ? parameters.keys() : Object.keys(parameters))) {
        const values = parameters.getAll ? parameters.getAll(name) : [parameters[name]];
        if (values.every(function (value) { return value === ""; })) {
          parameters.delete ? parameters.delete(name) : delete parameters[name];
        }
      }
    }
    if (pendingToken) {
      event.detail.headers.Authorization = "Bearer " + pendingToken;
      pendingToken = null;
    }
  });

  // A download is a document request, which App Bridge cannot sign: inside Shopify the link
  // gets a fresh session token in its query, as Shopify's own document loads carry one.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-download]");
    const shopify = appBridge();
    if (!link || !shopify) {
      return;
    }
    event.preventDefault();
    shopify.idToken().then(function (token) {
      const url = new URL(link.href, window.location.href);
      url.searchParams.set("id_token", token);
      window.location.assign(url.toString());
    });
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status === 401) {
      // A stale session: a full load goes through Shopify's patch-id-token page.
      window.location.reload();
    }
  });
})();
