'use strict';
// HTTP API Lambda authorizer (payload 2.0, simple responses) that lets a request through only
// when it carries the value the CloudFront distribution adds to every request it sends to the
// API: in the header on every route, or in the query parameter of the same name on the health
// route (Route 53 health checks cannot send headers, but can request a path with a query string).
// API Gateway caches the answer per identity source value, so the function runs about once an hour.
const crypto = require('crypto');

exports.handler = async (event) => {
  const name = (process.env.HEADER_NAME || '').toLowerCase();
  const expected = Buffer.from(process.env.EXPECTED_VALUE || '', 'utf8');
  // The answer is cached under the identity source value (the header on most routes, the query
  // parameter on the health route), so it must depend on that value alone: judged on anything
  // else, a right header sent with a wrong parameter would open the health route to the wrong
  // parameter for an hour.
  const identity = (event && event.identitySource) || [];
  if (identity.length !== 1) return { isAuthorized: false };
  const value = String(identity[0]);
  const headers = event.headers || {};
  const query = event.queryStringParameters || {};
  // only the header or the query parameter carry the value, never another identity source
  const fromHeaderOrQuery = value === headers[name] || value === query[name];
  const given = Buffer.from(value, 'utf8');
  // timingSafeEqual needs equal lengths; the length check leaks only the length.
  const isAuthorized = fromHeaderOrQuery && expected.length > 0 && given.length === expected.length && crypto.timingSafeEqual(given, expected);
  return { isAuthorized };
};
