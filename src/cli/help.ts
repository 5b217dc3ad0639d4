/** `--help` texts. Keep docs/cli.md in step. */

const EXIT_CODES = `Exit codes:
  0    success
  1    Cognito refused the sign-in (wrong password, MFA code, ...) or the token failed verification
  2    bad or missing arguments
  3    Cognito or the JWKS could not be reached, or answered with a service error or throttling
  130  cancelled at a prompt, or interrupted (SIGINT)
  143  stopped by SIGTERM`;

const POOL = `  --user-pool-id <id>        user pool id, e.g. eu-west-1_AbCdEf123    (env COGNITO_USER_POOL_ID)
  --client-id <id>           app client id                              (env COGNITO_CLIENT_ID)
  --region <region>          default: taken from the user pool id
  --endpoint <url>           custom Cognito endpoint, e.g. the emulator (env COGNITO_ENDPOINT)`;

export const MAIN_HELP = `Usage: cognito-srp-auth <command> [options]

Amazon Cognito User Pools from the command line: SRP sign-in, token checks, a local emulator.

Commands:
  token       sign in with SRP and print a JWT (or the whole token set with --json)
  claims      verify a JWT against the pool's JWKS and print its claims
  emulator    run a local Cognito user pool on 127.0.0.1 (see: cognito-srp-auth emulator --help)

Run \`cognito-srp-auth <command> --help\` for the options of a command;
\`cognito-srp-auth --version\` prints the version.

${EXIT_CODES}
`;

export const TOKEN_HELP = `Usage: cognito-srp-auth token [options]

Signs in with SRP (USER_SRP_AUTH), answers MFA and device challenges, verifies the tokens and prints
the access token (or the ID token, or all tokens as JSON) on stdout. With --token-store, a session saved
by an earlier run is resumed with one refresh instead: no password, no MFA. Progress goes to stderr,
only when it is a terminal.

Options:
${POOL}
  --username <name>          sign-in name                               (env COGNITO_USERNAME)
  --client-secret-env <NAME> read the app client secret from env NAME   (default env COGNITO_CLIENT_SECRET)
  --password-env <NAME>      read the password from env NAME            (default env COGNITO_PASSWORD)
  --password-stdin           read the password from the first line of stdin
                             (and an MFA code, if Cognito asks, from the next line)
  --totp-secret-env <NAME>   answer SOFTWARE_TOKEN_MFA with the base32 secret in env NAME
                                                                        (default env COGNITO_TOTP_SECRET)
  --token-type <access|id>   which JWT to print (default access)
  --json                     print the whole token set as JSON (access, ID and refresh tokens)
  --device-store <file>      use the device remembered in this file (skips MFA where the pool allows it)
  --remember-device          confirm a new device and save it to --device-store (created with mode 0600)
  --token-store <file>       resume the session saved in this file (one refresh, no password), and save
                             the newest refresh token there after every run (mode 0600; may be the
                             --device-store file)
  --sign-out                 with --token-store: revoke the stored refresh token and delete it from the
                             file (the remembered device stays); prints nothing on stdout
  --client-credentials       a machine-to-machine token of the app client instead of a user's
                             (see: cognito-srp-auth token --client-credentials --help)
  -h, --help                 show this help

The password is never taken from the command line. Without COGNITO_PASSWORD, --password-env or
--password-stdin, it is asked for on the terminal without echo; an MFA code is asked for the same way.
The password is read only when a sign-in needs it: a run that resumes a stored session never asks.

A --token-store file holds a refresh token: whoever can read it gets fresh tokens as this user, without
password or MFA, until it expires (30 days by default) or is revoked (--sign-out). Keep it on storage
you trust.

Examples:
  cognito-srp-auth token --user-pool-id eu-west-1_AbCdEf123 --client-id 1example23456789 --username svc
  printf '%s\\n' "$PASSWORD" | cognito-srp-auth token --password-stdin --json > tokens.json
  curl -H "authorization: Bearer $(cognito-srp-auth token)" https://api.example.com/orders
  cognito-srp-auth token --token-store ~/.config/svc-session.json     # asks once, then refreshes
  cognito-srp-auth token --token-store ~/.config/svc-session.json --sign-out

${EXIT_CODES}
`;

export const CLAIMS_HELP = `Usage: cognito-srp-auth claims <token | -> [options]

Verifies a Cognito access or ID token (RS256 signature with the pool's JWKS, issuer, token_use, client,
expiry) and prints {"verified", "tokenUse", "header", "claims"} as JSON. "-" (or no argument with a
pipe) reads the token from stdin, which keeps it out of the process list.

Options:
${POOL}
  --no-verify                only decode; the output says "verified": false
  -h, --help                 show this help

The COGNITO_JWKS environment variable (a JWKS JSON) is used instead of fetching the keys when set.

Example:
  cognito-srp-auth token | cognito-srp-auth claims - --user-pool-id eu-west-1_AbCdEf123 --client-id 1example23456789

${EXIT_CODES}
`;
