// CloudFront Function (cloudfront-js-2.0), viewer request, attached to the site's default
// behavior only. It never runs for the API behavior or the hashed-assets behavior.
//
// - A navigation request (the last path segment has no file extension, e.g. /orders/42) is
//   rewritten to the SPA's index document so that client-side routes load the app.
// - A request for a file (e.g. /logo.png, /missing.js) is left alone, so a missing file still
//   gets S3's 404 instead of being hidden behind index.html.
// - Optionally, requests to a redirect host (e.g. www.example.com) get a 301 to the canonical
//   host (e.g. example.com), keeping the path and query string.
//
// The construct replaces the CONFIG line below at synth; keep it on one line.
var CONFIG = { indexPath: '/index.html', redirectFrom: '', redirectTo: '' };

function renderQuery(querystring) {
  var parts = [];
  for (var name in querystring) {
    var param = querystring[name];
    if (param.multiValue && param.multiValue.length > 0) {
      for (var i = 0; i < param.multiValue.length; i++) {
        parts.push(name + '=' + param.multiValue[i].value);
      }
    } else {
      parts.push(param.value === '' ? name : name + '=' + param.value);
    }
  }
  return parts.length > 0 ? '?' + parts.join('&') : '';
}

function handler(event) {
  var request = event.request;
  var host = request.headers.host ? request.headers.host.value.toLowerCase() : '';

  if (CONFIG.redirectFrom !== '' && host === CONFIG.redirectFrom) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: {
        location: { value: 'https://' + CONFIG.redirectTo + request.uri + renderQuery(request.querystring || {}) },
        'cache-control': { value: 'max-age=3600' },
      },
    };
  }

  var uri = request.uri;
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = CONFIG.indexPath;
  }
  return request;
}
