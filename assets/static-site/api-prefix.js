// CloudFront Function (cloudfront-js-2.0), viewer request, attached to the site's API behavior
// only. The site sends `/api/*` to the API, whose routes know nothing of the site's prefix (a
// module serves `/orders/*`, not `/api/orders/*`): this strips the prefix, so `/api/orders/42`
// reaches the API as `/orders/42` and `/api/` as `/`. Query string, method, headers and body are
// untouched.
//
// The construct replaces the CONFIG line below at synth; keep it on one line.
var CONFIG = { prefix: '/api' };

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === CONFIG.prefix) {
    request.uri = '/';
  } else if (uri.indexOf(CONFIG.prefix + '/') === 0) {
    request.uri = uri.substring(CONFIG.prefix.length);
  }
  return request;
}
