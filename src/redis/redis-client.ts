/**
 * The few Redis operations the cache needs, over either client library, told apart by shape so that
 * neither is imported here: ioredis (`Redis`, `Cluster`) and node-redis v5+ (`createClient`, `createCluster`).
 */
import { CognitoConfigError } from '../errors.js';

export type RedisClientKind = 'ioredis' | 'node-redis' | 'node-redis-cluster';

export interface RedisCommands {
  readonly kind: RedisClientKind;
  /** Sends one command; `routingKey` is a key the command touches (a Cluster routes by it). */
  command(args: readonly string[], routingKey: string, signal: AbortSignal): Promise<unknown>;
  /**
   * `undefined` when the client can send now, else its state. The cache fails fast instead of letting
   * the client queue commands while it reconnects: a queued `SET NX` sent after the caller gave up would
   * leave a lock nobody releases until it expires.
   */
  notReady(): string | undefined;
  /**
   * Whether a not-ready client is on its way to ready (connecting, reconnecting): the cache then waits for
   * `ready` within the call's deadline and sends only after it, instead of failing a cold start's first calls.
   */
  connecting(): boolean;
  /** Resolves at the client's next `ready` event (the caller bounds the wait). */
  onceReady(listener: () => void): () => void;
  /** A new connection, duplicated from the client, for pub/sub only. */
  openSubscriber(onMessage: (channel: string) => void, onError: (error: unknown) => void): RedisSubscriber;
}

export interface RedisSubscriber {
  /** PSUBSCRIBE: `onMessage` then receives the channel of every message that matches `pattern`. */
  subscribe(pattern: string): Promise<void>;
  /** Drops the connection at once (never waits on a Redis that may be down). */
  close(): void;
}

type Fn = (...args: never[]) => unknown;
interface Emitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off?(event: string, listener: (...args: never[]) => void): unknown;
  removeListener?(event: string, listener: (...args: never[]) => void): unknown;
}

/** Subscribes `listener` to the next `ready` of `client`; returns how to unsubscribe. */
function onceReady(client: Emitter, listener: () => void): () => void {
  const handler = (() => {
    off();
    listener();
  }) as (...args: never[]) => void;
  const off = (): void => {
    if (client.off !== undefined) client.off('ready', handler);
    else client.removeListener?.('ready', handler);
  };
  client.on('ready', handler);
  return off;
}
interface IoRedisLike extends Emitter {
  status: string;
  call(...args: string[]): Promise<unknown>;
  duplicate(): IoRedisLike;
  psubscribe(...patterns: string[]): Promise<unknown>;
  disconnect(): void;
}
interface NodeRedisLike extends Emitter {
  isOpen: boolean;
  isReady?: boolean;
  duplicate(): NodeRedisLike;
  connect(): Promise<unknown>;
  sendCommand(...args: unknown[]): Promise<unknown>;
  pSubscribe(pattern: string, listener: (message: string, channel: string) => void): Promise<void>;
  destroy?: () => void;
  disconnect?: () => Promise<void>;
}

function has(value: object, name: string, type: 'function' | 'string' | 'boolean'): boolean {
  return typeof (value as Record<string, unknown>)[name] === type;
}

/** Wraps `client` after checking its shape; a `CognitoConfigError` naming `client` when it is neither library's client. */
export function redisCommands(client: unknown): RedisCommands {
  if (typeof client === 'object' && client !== null) {
    if (has(client, 'call', 'function') && has(client, 'duplicate', 'function') && has(client, 'status', 'string')) {
      return ioredisCommands(client as IoRedisLike);
    }
    if (has(client, 'sendCommand', 'function') && has(client, 'duplicate', 'function') && has(client, 'connect', 'function')) {
      if (has(client, 'getSlotRandomNode', 'function')) return nodeRedisCommands(client as NodeRedisLike, true);
      if (has(client, 'isOpen', 'boolean')) return nodeRedisCommands(client as NodeRedisLike, false);
    }
  }
  throw new CognitoConfigError(
    'client',
    'must be a connected ioredis client (`new Redis()` or `new Cluster()`) or a connected node-redis v5 client (`await createClient().connect()`).',
  );
}

function ioredisCommands(client: IoRedisLike): RedisCommands {
  return {
    kind: 'ioredis',
    command: (args) => client.call(...args),
    // `wait`: created with lazyConnect and not used yet; the first command connects it.
    notReady: () => (client.status === 'ready' || client.status === 'wait' ? undefined : client.status),
    connecting: () => client.status === 'connecting' || client.status === 'connect' || client.status === 'reconnecting',
    onceReady: (listener) => onceReady(client, listener),
    openSubscriber(onMessage, onError) {
      const sub = client.duplicate();
      sub.on('error', onError as (...args: never[]) => void);
      sub.on('pmessage', ((_pattern: string, channel: string) => onMessage(channel)) as Fn as (...args: never[]) => void);
      return {
        subscribe: async (pattern) => void (await sub.psubscribe(pattern)),
        close: () => sub.disconnect(),
      };
    },
  };
}

function nodeRedisCommands(client: NodeRedisLike, cluster: boolean): RedisCommands {
  return {
    kind: cluster ? 'node-redis-cluster' : 'node-redis',
    // abortSignal (node-redis 5+) also drops a command still queued when the caller gives up.
    command: (args, routingKey, abortSignal) =>
      cluster ? client.sendCommand(routingKey, false, args, { abortSignal }) : client.sendCommand(args, { abortSignal }),
    notReady: () => (client.isReady === false ? (client.isOpen ? 'reconnecting' : 'closed') : undefined),
    connecting: () => client.isReady === false && client.isOpen,
    onceReady: (listener) => onceReady(client, listener),
    openSubscriber(onMessage, onError) {
      const sub = client.duplicate();
      sub.on('error', onError as (...args: never[]) => void);
      const connected = sub.connect();
      // A failed connect is reported through `error` and surfaces in subscribe(); never unhandled.
      connected.catch(() => undefined);
      const listener = (_message: string, channel: string): void => onMessage(channel);
      return {
        subscribe: async (pattern) => {
          await connected;
          await sub.pSubscribe(pattern, listener);
        },
        close: () => {
          try {
            if (typeof sub.destroy === 'function') sub.destroy();
            else void sub.disconnect?.().catch(() => undefined);
          } catch {
            // Already closed (a connect that never succeeded): nothing to drop.
          }
        },
      };
    },
  };
}
