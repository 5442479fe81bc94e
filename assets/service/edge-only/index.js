'use strict';
// HTTP API Lambda authorizer (payload 2.0, simple responses) that lets a request through only
// when it carries the header the CloudFront distribution adds to every request it sends to the
// API. API Gateway caches the answer per header value, so the function runs about once an hour.
const crypto = require('crypto');

exports.handler = async (event) => {
  const name = (process.env.HEADER_NAME || '').toLowerCase();
  const expected = Buffer.from(process.env.EXPECTED_VALUE || '', 'utf8');
  const headers = (event && event.headers) || {};
  const given = Buffer.from(String(headers[name] || ''), 'utf8');
  // timingSafeEqual needs equal lengths; the length check leaks only the length.
  const isAuthorized = expected.length > 0 && given.length === expected.length && crypto.timingSafeEqual(given, expected);
  return { isAuthorized };
};
