// A local OAuth 2.0 server for the test suite: oauth2-mock-server on 127.0.0.1, made to
// behave like Thumbtack's authorization server where the tests need it:
//  - clients and secrets are checked (HTTP Basic or body): unknown -> 401 invalid_client
//  - the audience must be AUDIENCE: anything else -> 400 invalid_request (Hydra's words)
//  - tokens carry aud = the requested audience, and live TOKEN_TTL seconds
//  - refresh tokens are single use (rotation): a used one -> 400 invalid_grant
// Usage: node server.mjs   (env: CLIENTS='{"id":"secret"}', TOKEN_TTL=3600, AUDIENCE=...)
// Prints one JSON line {"url": "http://127.0.0.1:PORT"} when ready. GET /_test/log returns
// every token request seen (grant type, audience, client auth method, scope).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const clients = JSON.parse(process.env.CLIENTS || '{"test-client":"test-secret"}');
const ttl = Number(process.env.TOKEN_TTL || 3600);
const audience = process.env.AUDIENCE || 'urn:partner-api';
const log = [];
const liveRefreshTokens = new Set();

const issuer = new OAuth2Issuer();
await issuer.keys.generate('RS256');
const service = new OAuth2Service(issuer);

function clientOf(req) {
  const header = req.headers.authorization || '';
  if (header.startsWith('Basic ')) {
    const [id, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')), method: 'basic' };
  }
  return { id: req.body.client_id, secret: req.body.client_secret, method: 'post' };
}

service.on('beforeTokenSigning', (token, req) => {
  const now = Math.floor(Date.now() / 1000);
  token.payload.exp = now + ttl;
  token.payload.jti = randomUUID();
  if (req.body.audience) token.payload.aud = req.body.audience;
});

service.on('beforeResponse', (response, req) => {
  const body = req.body;
  const client = clientOf(req);
  log.push({ grant_type: body.grant_type, audience: body.audience ?? null, method: client.method,
             client_id: client.id ?? null, scope: body.scope ?? null,
             extra: body.extra_param ?? null });
  if (!client.id || clients[client.id] === undefined || clients[client.id] !== client.secret) {
    response.statusCode = 401;
    response.body = { error: 'invalid_client', error_description: 'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).' };
    return;
  }
  if (body.audience !== audience) {
    response.statusCode = 400;
    response.body = { error: 'invalid_request', error_description: `The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Requested audience '${body.audience}' has not been whitelisted by the OAuth 2.0 Client.` };
    return;
  }
  if (body.grant_type === 'refresh_token') {
    if (!liveRefreshTokens.has(body.refresh_token)) {
      response.statusCode = 400;
      response.body = { error: 'invalid_grant', error_description: 'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked.' };
      return;
    }
    liveRefreshTokens.delete(body.refresh_token);
  }
  if (response.body.refresh_token) liveRefreshTokens.add(response.body.refresh_token);
  response.body.expires_in = ttl;
});

const handler = service.requestHandler;
const server = http.createServer((req, res) => {
  if (req.url === '/_test/log') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(log));
    return;
  }
  handler(req, res);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  issuer.url = `http://127.0.0.1:${port}`;
  process.stdout.write(JSON.stringify({ url: issuer.url }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
