import { ALL_TRANSPORTS } from './clients.js';
import { describeTransportContract } from './transport-conformance.js';

// axios's http and fetch adapters, got, undici, and cognitoFetch over the global fetch, undici.fetch,
// node-fetch 2 and node-fetch 3: the same redirect, 401 and option cases for each.
describe.each(ALL_TRANSPORTS)('$name', (kind) => {
  describeTransportContract(kind);
});
