// CloudFront Function (cloudfront-js-2.0), viewer request, attached to the site's default
// behavior only. It never runs for the API behavior or the hashed-assets behavior.
//
// - A request for a file is left alone, so a missing file still gets S3's 404 instead of being
//   hidden behind index.html. A file is a path whose last segment ends in one of the configured
//   asset extensions (/logo.png, /robots.txt), or anything under /.well-known/ (which holds
//   extension-less files such as apple-app-site-association).
// - Every other request is a navigation request (/orders/42, /users/jane.doe, /releases/v1.2.3)
//   and is rewritten to the SPA's index document so that client-side routes load the app. A dot in
//   a route is not a file: only the configured extensions are.
// - Optionally, requests to a redirect host (e.g. www.example.com) get a 301 to the canonical
//   host (e.g. example.com), keeping the path and query string.
//
// The construct replaces the CONFIG line below at synth; keep it on one line.
var CONFIG = { indexPath: '/index.html', redirectFrom: '', redirectTo: '', assetExtensions: ['html', 'js', 'css', 'png', 'ico', 'txt', 'json'] };

var EXTENSIONS = {};
for (var e = 0; e < CONFIG.assetExtensions.length; e++) EXTENSIONS[CONFIG.assetExtensions[e]] = true;

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

function isFile(uri) {
  if (uri === '/.well-known' || uri.indexOf('/.well-known/') === 0) return true;
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  var dot = lastSegment.lastIndexOf('.');
  // No dot, or a leading dot only (/.env): not a file with an extension.
  if (dot <= 0 || dot === lastSegment.length - 1) return false;
  return EXTENSIONS[lastSegment.substring(dot + 1).toLowerCase()] === true;
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

  if (!isFile(request.uri)) {
    request.uri = CONFIG.indexPath;
  }
  return request;
}
