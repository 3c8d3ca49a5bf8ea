// A real OpenID Connect provider for the OIDC sign-in tests, started by the test suite
// (tests/kaa/test_security_oidc.py) with `node tests/oidc/provider.mjs`.
// Configured by environment variables: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI.
// Its development sign-in form accepts any login name; the account's claims are:
//   sub = preferred_username = the login name, email = <login>@kommun.example,
//   email_verified = false when the login name ends with "-unverified".
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'name'],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          preferred_username: id,
          name: id,
          email: `${id}@kommun.example`,
          email_verified: !id.endsWith('-unverified'),
        };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
});

// Quiet: the dev-mode warnings go to stderr, which the test reads only on failure.
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
