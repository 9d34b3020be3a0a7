// A real OpenID Connect provider for Loam's SSO tests: panva's oidc-provider (the certified
// implementation) on 127.0.0.1, on a free port it picks itself.
//
//   LOAM_OIDC_CLIENTS='[{"client_id": "...", "client_secret": "...", "redirect_uris": ["..."]}]' \
//     node tests/oidc/server.js
//
// Prints one JSON line, {"issuer": "http://127.0.0.1:<port>"}, once it listens; stops when
// its standard input closes (the test process that started it went away) or on SIGTERM.
//
// Its login page asks for an e-mail address and signs that person in (no password): the
// account id and the `email` claim are that address, `email_verified` is true unless the
// address starts with "unverified.". Consent is implied, so the browser goes straight back.
// The page is its own (not the library's dev pages, which load a web font from the internet).

import http from 'node:http';

import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.LOAM_OIDC_CLIENTS || '[]').map((client) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  ...client,
}));

function claimsFor(accountId) {
  const local = accountId.split('@')[0].replace(/^unverified\./, '');
  return {
    sub: accountId,
    email: accountId,
    email_verified: !accountId.startsWith('unverified.'),
    name: local.replace(/[._-]+/g, ' '),
    preferred_username: local,
  };
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, clientId) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 24rem; margin: 3rem auto">
<h1>Test identity provider</h1>
<p>Signing in to <code>${escape(clientId)}</code>.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
  <label for="email">E-mail</label>
  <input id="email" type="email" name="email" required autofocus>
  <button type="submit">Sign in</button>
</form>
</body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => claimsFor(id) };
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Every client here is first party: consent is granted without asking.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'POST' && match[2]) {
        const email = (await readForm(req)).get('email') || '';
        await provider.interactionFinished(req, res, { login: { accountId: email } }, {
          mergeWithLastSubmission: false,
        });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, details.params.client_id));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`interaction failed: ${error.message}`);
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
