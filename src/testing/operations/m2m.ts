import type { OperationHandler } from '../context.js';
import { getClientToken } from './client-token.js';
import { addUserPoolClientSecret, deleteUserPoolClientSecret, listUserPoolClientSecrets } from './client-secrets.js';
import {
  createResourceServer,
  deleteResourceServer,
  describeResourceServer,
  listResourceServers,
  updateResourceServer,
} from './resource-servers.js';

/** Machine-to-machine operations: client tokens, resource servers, client-secret rotation. */
export function m2mOperations(): [string, OperationHandler][] {
  return [
    ['GetClientToken', getClientToken],
    ['CreateResourceServer', createResourceServer],
    ['DescribeResourceServer', describeResourceServer],
    ['ListResourceServers', listResourceServers],
    ['UpdateResourceServer', updateResourceServer],
    ['DeleteResourceServer', deleteResourceServer],
    ['AddUserPoolClientSecret', addUserPoolClientSecret],
    ['ListUserPoolClientSecrets', listUserPoolClientSecrets],
    ['DeleteUserPoolClientSecret', deleteUserPoolClientSecret],
  ];
}
