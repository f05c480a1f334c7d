// A real OpenID provider (oidc-provider, OpenID Certified) for Samspill's single sign-on tests.
// Usage: node provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI PUBLIC_JWK_JSON
// Prints "ready <issuer>" when it listens. Accounts: any login name; "nils" is in the NTNU
// innovation board's group, everybody else in "ansatte". The password is not checked.
import Provider from 'oidc-provider';

const [port, redirectUri, postLogoutUri, publicJwk] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const GROUPS = { nils: ['ansatte', 'innovasjonsutvalg-ntnu'] };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'samspill',
      client_secret: 'samspill-test-secret',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'samspill-jwt',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [JSON.parse(publicJwk)] },
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
    groups: ['groups'],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@test.example`,
          email_verified: true,
          name: id.charAt(0).toUpperCase() + id.slice(1) + ' Testesen',
          groups: GROUPS[id] || ['ansatte'],
        };
      },
    };
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
});
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
